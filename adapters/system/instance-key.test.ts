import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadInstanceKey } from './instance-key.ts'

describe('loadInstanceKey', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'instance-key-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const signsFor = (key: Awaited<ReturnType<typeof loadInstanceKey>>) => {
    const message = Buffer.from('hello')
    const publicKey = createPublicKey({ key: { ...key.jwk }, format: 'jwk' })
    return verify(null, message, publicKey, sign(null, message, key.privateKey))
  }

  it('generates an ephemeral key without PRIVATE_KEY_FILE', async () => {
    const key = await loadInstanceKey({ keyId: 'k1', privateKeyFile: undefined })
    expect(key).toMatchObject({ keyId: 'k1', source: 'generated-ephemeral' })
    expect(key.jwk).toMatchObject({ kid: 'k1', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' })
    expect(signsFor(key)).toBe(true)
  })

  it('creates the file when it is absent and loads the same key next time', async () => {
    const file = join(dir, 'nested', 'private.pem')
    const created = await loadInstanceKey({ keyId: 'k2', privateKeyFile: file })
    expect(created.source).toBe('generated-file')
    expect(await readFile(file, 'utf8')).toContain('BEGIN PRIVATE KEY')
    const loaded = await loadInstanceKey({ keyId: 'k2', privateKeyFile: file })
    expect(loaded.source).toBe('file')
    expect(loaded.jwk).toEqual(created.jwk)
    expect(signsFor(loaded)).toBe(true)
  })

  it('refuses a file that is not an Ed25519 private key', async () => {
    const garbage = join(dir, 'garbage.pem')
    await writeFile(garbage, 'not a key')
    await expect(loadInstanceKey({ keyId: 'k', privateKeyFile: garbage })).rejects.toThrow(
      /PRIVATE_KEY_FILE=.*garbage\.pem does not hold a PEM private key/,
    )
    const rsa = join(dir, 'rsa.pem')
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    await writeFile(rsa, privateKey.export({ type: 'pkcs8', format: 'pem' }))
    await expect(loadInstanceKey({ keyId: 'k', privateKeyFile: rsa })).rejects.toThrow(
      /holds a rsa key; an Ed25519 key is expected/,
    )
  })
})
