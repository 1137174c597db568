import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isEd25519PublicKey, validateJwk } from './wallet-address-key.ts'

const realX = (): string => {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string') throw new Error('no x')
  return jwk.x
}

const jwk = { kid: 'key-1', x: realX(), alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' }

describe('isEd25519PublicKey', () => {
  it('accepts the x of real Ed25519 keys', () => {
    for (let i = 0; i < 20; i += 1) expect(isEd25519PublicKey(realX())).toBe(true)
  })

  it.each([
    ['', 'empty'],
    [realX().slice(0, 42), '42 characters (31 bytes and a bit)'],
    [`${realX()}A`, '44 characters'],
    [`${realX()}=`, 'padded'],
    [`${realX().slice(0, 42)}+`, 'standard base64 +'],
    [`${realX().slice(0, 42)}/`, 'standard base64 /'],
    [`${realX().slice(0, 42)} `, 'a space'],
    [`${'A'.repeat(42)}B`, 'non-zero padding bits'],
    [`${'A'.repeat(42)}_`, 'non-zero padding bits at the end of the alphabet'],
    [Buffer.alloc(32).toString('base64'), 'standard padded base64 of 32 bytes'],
  ])('refuses %j (%s)', (x) => {
    expect(isEd25519PublicKey(x)).toBe(false)
  })

  it('accepts exactly the 43-character canonical encodings', () => {
    expect(isEd25519PublicKey('A'.repeat(43))).toBe(true)
    expect(isEd25519PublicKey(`${'_'.repeat(42)}w`)).toBe(true)
    expect(isEd25519PublicKey(Buffer.alloc(32, 0xff).toString('base64url'))).toBe(true)
  })
})

describe('validateJwk', () => {
  it('returns the key with its fixed fields', () => {
    expect(validateJwk(jwk)).toEqual({ ok: true, value: jwk })
  })

  it.each([
    [{ kid: '' }],
    [{ kid: 'k'.repeat(256) }],
    [{ alg: 'ES256' }],
    [{ kty: 'EC' }],
    [{ crv: 'X25519' }],
    [{ x: 'not-a-key' }],
  ])('refuses %j', (change) => {
    expect(validateJwk({ ...jwk, ...change })).toEqual({ ok: false, error: 'invalid_jwk' })
  })

  it('accepts a kid of 255 characters', () => {
    expect(validateJwk({ ...jwk, kid: 'k'.repeat(255) }).ok).toBe(true)
  })
})
