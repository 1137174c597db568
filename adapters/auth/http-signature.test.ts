import { Buffer } from 'node:buffer'
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import {
  createHeaders,
  generateJwk,
  validateSignature,
  type JWK,
} from '@interledger/http-signature-utils'
import { describe, expect, it } from 'vitest'
import type { SignedRequest } from '../../application/ports/request-signature-verifier.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import {
  digestMatches,
  parseSignatureHeaders,
  signatureBase,
  signRequest,
  verifyRequestSignature,
} from './http-signature.ts'

const nowMs = Date.UTC(2025, 0, 1, 12)
const url = 'https://rs.example/alice/incoming-payments?first=10&cursor=abc'
const body = '{"walletAddress":"https://rs.example/alice","incomingAmount":{"value":"100"}}'

type TestKey = { readonly jwk: Jwk; readonly privateKey: KeyObject }

function makeKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const { x } = publicKey.export({ format: 'jwk' })
  return { jwk: { kid, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: x ?? '' }, privateKey }
}

const key = makeKey('key-1')
const otherKey = makeKey('key-2')

/** A request as the resource server sees it, after the client signed it with `signer`. */
function signed(
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  signer: TestKey = key,
): { request: SignedRequest; headers: Headers } {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST')
  const own = init.headers ?? { authorization: 'GNAP token-1' }
  const toSign = { method, url, headers: own, body: init.body }
  const added = signRequest(toSign, { keyId: signer.jwk.kid, privateKey: signer.privateKey }, nowMs)
  const headers = new Headers({ ...own, ...added })
  return { request: { method, url, headers, body: init.body }, headers }
}

const check = (request: SignedRequest, keys: readonly Jwk[] = [key.jwk], maxAgeSeconds = 300) =>
  verifyRequestSignature(request, keys, { nowMs, maxAgeSeconds })

/** Signs an arbitrary Signature-Input inner list (components and params) for edge cases. */
function signRaw(
  request: Omit<SignedRequest, 'headers'> & { headers: Headers },
  innerList: string,
  signer: KeyObject = key.privateKey,
): SignedRequest {
  const parsed = parseSignatureHeaders(`sig1=${innerList}`, 'sig1=:AA==:')
  expect(parsed).toBeDefined()
  const base = signatureBase(request, parsed ?? { components: [], signatureParams: '' })
  expect(base.ok).toBe(true)
  const signature = sign(null, Buffer.from(base.ok ? base.value : ''), signer)
  const headers = new Headers(request.headers)
  headers.set('signature-input', `sig1=${innerList}`)
  headers.set('signature', `sig1=:${signature.toString('base64')}:`)
  return { ...request, headers }
}

const created = Math.floor(nowMs / 1000)

describe('RFC 9421 appendix B.2.6 (ed25519 test vector)', () => {
  const input =
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")' +
    ';created=1618884473;keyid="test-key-ed25519"'
  const signatureHeader =
    'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:'
  const rfcJwk: Jwk = {
    kid: 'test-key-ed25519',
    alg: 'EdDSA',
    kty: 'OKP',
    crv: 'Ed25519',
    x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
  }
  const request: SignedRequest = {
    method: 'POST',
    url: 'https://example.com/foo?param=Value&Pet=dog',
    headers: new Headers({
      host: 'example.com',
      date: 'Tue, 20 Apr 2021 02:07:55 GMT',
      'content-type': 'application/json',
      'content-digest':
        'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
      'content-length': '18',
      'signature-input': input,
      signature: signatureHeader,
    }),
    body: '{"hello": "world"}',
  }

  it('builds the signature base of the RFC byte for byte, and the signature verifies', () => {
    const parsed = parseSignatureHeaders(input, signatureHeader)
    expect(parsed).toMatchObject({ label: 'sig-b26', keyId: 'test-key-ed25519' })
    const base = signatureBase(request, parsed ?? { components: [], signatureParams: '' })
    expect(base).toEqual({
      ok: true,
      value: [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" ' +
          '"content-length");created=1618884473;keyid="test-key-ed25519"',
      ].join('\n'),
    })
    const publicKey = createPublicKey({ key: { ...rfcJwk }, format: 'jwk' })
    const valid = verify(null, Buffer.from(base.ok ? base.value : ''), publicKey, parsed!.signature)
    expect(valid).toBe(true)
  })

  it('matches the RFC content digest of the body', () => {
    expect(digestMatches(request.headers.get('content-digest'), '{"hello": "world"}')).toBe(true)
    expect(digestMatches(request.headers.get('content-digest'), '{"hello": "World"}')).toBe(false)
  })

  it('is still refused for Open Payments: it covers neither @target-uri nor content-digest', () => {
    const result = verifyRequestSignature(request, [rfcJwk], { nowMs: 1618884473_000 })
    expect(result).toEqual({ ok: false, error: 'malformed_signature' })
  })
})

describe('verifyRequestSignature', () => {
  it('accepts a signed GET with an access token', () => {
    const { request, headers } = signed()
    expect(headers.get('signature-input')).toBe(
      `sig1=("@method" "@target-uri" "authorization");keyid="key-1";created=${created}`,
    )
    expect(check(request)).toEqual({ ok: true, value: { keyId: 'key-1' } })
  })

  it('accepts a signed POST with a body, finding the key among several', () => {
    const { request, headers } = signed({ body })
    expect(headers.get('signature-input')).toBe(
      'sig1=("@method" "@target-uri" "authorization" "content-digest" "content-length" ' +
        `"content-type");keyid="key-1";created=${created}`,
    )
    expect(headers.get('content-length')).toBe(String(body.length))
    expect(headers.get('content-type')).toBe('application/json')
    expect(check(request, [otherKey.jwk, key.jwk])).toEqual({ ok: true, value: { keyId: 'key-1' } })
  })

  it('accepts an unauthenticated signed request (a grant request carries no token)', () => {
    const { request } = signed({ headers: {}, body })
    expect(check(request)).toEqual({ ok: true, value: { keyId: 'key-1' } })
  })

  it('refuses a tampered body as bad_digest', () => {
    const { request } = signed({ body })
    const tampered = body.replace('100', '999')
    expect(check({ ...request, body: tampered })).toEqual({ ok: false, error: 'bad_digest' })
  })

  it('refuses a body whose digest was replaced too as bad_signature', () => {
    const { request, headers } = signed({ body })
    const tampered = body.replace('100', '999')
    const other = signRequest({ method: 'POST', url, body: tampered }, signingKey(otherKey), nowMs)
    headers.set('content-digest', other['content-digest'] ?? '')
    expect(check({ ...request, headers, body: tampered })).toEqual({
      ok: false,
      error: 'bad_signature',
    })
  })

  it('refuses a tampered authorization, method or URL as bad_signature', () => {
    const { request, headers } = signed({ body })
    const swapped = new Headers(headers)
    swapped.set('authorization', 'GNAP stolen-token')
    const refused = { ok: false, error: 'bad_signature' }
    expect(check({ ...request, headers: swapped })).toEqual(refused)
    expect(check({ ...request, method: 'PUT' })).toEqual(refused)
    expect(check({ ...request, url: `${url}&last=1` })).toEqual(refused)
    expect(check({ ...request, url: url.replace('rs.example', 'evil.example') })).toEqual(refused)
  })

  it('refuses an authorization header the signature does not cover', () => {
    const { request, headers } = signed({ headers: {} })
    headers.set('authorization', 'GNAP token-1')
    expect(check({ ...request, headers })).toEqual({ ok: false, error: 'malformed_signature' })
  })

  it('refuses a body the signature does not cover', () => {
    const { request } = signed()
    expect(check({ ...request, body })).toEqual({ ok: false, error: 'malformed_signature' })
  })

  it('refuses a signature by another key under the same kid as bad_signature', () => {
    const impostor: TestKey = { jwk: key.jwk, privateKey: otherKey.privateKey }
    const { request } = signed({ body }, impostor)
    expect(check(request)).toEqual({ ok: false, error: 'bad_signature' })
  })

  it('refuses an unknown kid, an empty key set and an unusable key as unknown_key', () => {
    const { request } = signed({ body }, otherKey)
    expect(check(request, [key.jwk])).toEqual({ ok: false, error: 'unknown_key' })
    expect(check(request, [])).toEqual({ ok: false, error: 'unknown_key' })
    const broken: Jwk = { ...otherKey.jwk, x: 'AAAA' }
    expect(check(request, [broken])).toEqual({ ok: false, error: 'unknown_key' })
  })

  it.each(['signature', 'signature-input'])('refuses a request without %s', (name) => {
    const { request, headers } = signed({ body })
    headers.delete(name)
    expect(check({ ...request, headers })).toEqual({ ok: false, error: 'missing_signature' })
  })

  it('refuses a request with no signature headers at all', () => {
    const headers = new Headers({ authorization: 'GNAP token-1' })
    expect(check({ method: 'GET', url, headers, body: undefined })).toEqual({
      ok: false,
      error: 'missing_signature',
    })
  })

  it('refuses a covered header that is missing as malformed', () => {
    const { request, headers } = signed({ body })
    headers.delete('content-digest')
    expect(check({ ...request, headers })).toEqual({ ok: false, error: 'malformed_signature' })
  })
})

describe('verifyRequestSignature on malformed headers', () => {
  const components = '("@method" "@target-uri" "authorization")'
  const good = `${components};keyid="key-1";created=${created}`

  it.each([
    ['an empty value', ''],
    ['no inner list', 'sig1="@method";keyid="key-1"'],
    ['an unclosed list', 'sig1=("@method" "@target-uri";keyid="key-1"'],
    ['no keyid', `sig1=${components};created=${created}`],
    ['a token keyid', `sig1=${components};keyid=key-1`],
    ['a string created', `sig1=${components};keyid="key-1";created="${created}"`],
    ['a negative created', `sig1=${components};keyid="key-1";created=-1`],
    ['a decimal created', `sig1=${components};keyid="key-1";created=1.5`],
    ['a number alg', `sig1=${good};alg=1`],
    ['a duplicated component', `sig1=("@method" "@method" "@target-uri");keyid="key-1"`],
    ['a component with parameters', `sig1=("@method" "@target-uri";req);keyid="key-1"`],
    ['an upper-case field', `sig1=("@method" "@target-uri" "Authorization");keyid="key-1"`],
    ['an unknown derived component', `sig1=("@method" "@target-uri" "@status");keyid="key-1"`],
    ['a token component', `sig1=(@method "@target-uri");keyid="key-1"`],
    ['a bad field name', `sig1=("@method" "@target-uri" "a b");keyid="key-1"`],
    ['no @method', `sig1=("@target-uri" "authorization");keyid="key-1"`],
    ['no @target-uri', `sig1=("@method" "authorization");keyid="key-1"`],
    ['a trailing comma', `sig1=${good},`],
    ['a label that is not a key', `Sig1=${good}`],
    ['garbage after the member', `sig1=${good} x`],
    ['a non-ASCII string', `sig1=${components};keyid="kéy"`],
    ['a bad escape', `sig1=${components};keyid="k\\ey"`],
    ['a very long value', `sig1=${good};nonce="${'a'.repeat(10_000)}"`],
  ])('refuses %s in Signature-Input', (_, input) => {
    const { request, headers } = signed()
    headers.set('signature-input', input)
    expect(check({ ...request, headers })).toEqual({ ok: false, error: 'malformed_signature' })
  })

  it.each([
    ['a token', 'sig1=abc'],
    ['a string', 'sig1="abc"'],
    ['unterminated bytes', 'sig1=:abc'],
    ['bytes that are not base64', 'sig1=:ab$c:'],
    ['another label', 'sig2=:AAAA:'],
    ['an inner list', 'sig1=(:AAAA:)'],
  ])('refuses %s in Signature', (_, value) => {
    const { request, headers } = signed()
    headers.set('signature', value)
    expect(check({ ...request, headers })).toEqual({ ok: false, error: 'malformed_signature' })
  })

  it('refuses a signature of the wrong length as bad_signature', () => {
    const { request, headers } = signed()
    headers.set('signature', 'sig1=:AAAA:')
    expect(check({ ...request, headers })).toEqual({ ok: false, error: 'bad_signature' })
  })

  it('never throws on mangled headers', () => {
    const { request, headers } = signed({ body })
    const input = headers.get('signature-input') ?? ''
    const signature = headers.get('signature') ?? ''
    const digest = headers.get('content-digest') ?? ''
    const alphabet = ' ()";=:,-@*?\\\t\u00e9abc019'
    let seed = 42
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const mangle = (text: string) => {
      const at = random(text.length + 1)
      const cut = random(4)
      const insert = alphabet[random(alphabet.length)] ?? ''
      return text.slice(0, at) + insert + text.slice(at + cut)
    }
    for (let round = 0; round < 3000; round++) {
      const mangled = new Headers(headers)
      const which = random(3)
      if (which === 0) mangled.set('signature-input', mangle(input))
      if (which === 1) mangled.set('signature', mangle(signature))
      if (which === 2) mangled.set('content-digest', mangle(digest))
      const result = check({ ...request, headers: mangled })
      if (result.ok) expect(result.value.keyId).toBe('key-1')
    }
  })

  it('refuses an unparsable request URL as malformed', () => {
    const { request } = signed()
    expect(check({ ...request, url: 'not a url' })).toEqual({
      ok: false,
      error: 'malformed_signature',
    })
  })
})

describe('verifyRequestSignature: labels and parameters', () => {
  const base = { method: 'GET', url, body: undefined, headers: new Headers() }
  const components = '("@method" "@target-uri")'

  it('uses sig1 when there are several signatures, another label when it is alone', () => {
    const { request, headers } = signed()
    headers.set('signature-input', `other=("@method");keyid="x", ${headers.get('signature-input')}`)
    headers.set('signature', `other=:AAAA:, ${headers.get('signature')}`)
    expect(check({ ...request, headers })).toEqual({ ok: true, value: { keyId: 'key-1' } })
    const alone = new Headers(signed().headers)
    alone.set('signature-input', (alone.get('signature-input') ?? '').replace('sig1', 'mine'))
    alone.set('signature', (alone.get('signature') ?? '').replace('sig1', 'mine'))
    expect(check({ ...request, headers: alone })).toEqual({ ok: true, value: { keyId: 'key-1' } })
  })

  it('accepts alg="ed25519" and other parameters, refuses another alg', () => {
    const params = `;created=${created};keyid="key-1";nonce="n-1";tag="op"`
    const withAlg = signRaw(base, `${components}${params};alg="ed25519"`)
    expect(check(withAlg)).toEqual({ ok: true, value: { keyId: 'key-1' } })
    const rsa = signRaw(base, `${components}${params};alg="rsa-pss-sha512"`)
    expect(check(rsa)).toEqual({ ok: false, error: 'bad_signature' })
  })

  it('refuses a signature older than maxAgeSeconds, accepts one just within it', () => {
    const old = signRaw(base, `${components};keyid="key-1";created=${created - 301}`)
    expect(check(old, [key.jwk], 300)).toEqual({ ok: false, error: 'stale_signature' })
    const recent = signRaw(base, `${components};keyid="key-1";created=${created - 300}`)
    expect(check(recent, [key.jwk], 300)).toEqual({ ok: true, value: { keyId: 'key-1' } })
  })

  it('accepts any age when no maxAgeSeconds is given', () => {
    const old = signRaw(base, `${components};keyid="key-1";created=${created - 86_400}`)
    expect(verifyRequestSignature(old, [key.jwk], { nowMs })).toEqual({
      ok: true,
      value: { keyId: 'key-1' },
    })
  })

  it('refuses a created time beyond the clock skew allowance', () => {
    const ahead = signRaw(base, `${components};keyid="key-1";created=${created + 61}`)
    expect(check(ahead)).toEqual({ ok: false, error: 'stale_signature' })
    const options = { nowMs, maxAgeSeconds: 300, clockSkewSeconds: 120 }
    expect(verifyRequestSignature(ahead, [key.jwk], options).ok).toBe(true)
    const slightly = signRaw(base, `${components};keyid="key-1";created=${created + 60}`)
    expect(check(slightly).ok).toBe(true)
  })

  it('refuses an expired signature', () => {
    const expired = signRaw(
      base,
      `${components};keyid="key-1";created=${created};expires=${created - 1}`,
    )
    expect(check(expired)).toEqual({ ok: false, error: 'stale_signature' })
    const live = signRaw(base, `${components};keyid="key-1";created=${created};expires=${created}`)
    expect(check(live).ok).toBe(true)
  })

  it('refuses an undated signature only when an age limit applies', () => {
    const undated = signRaw(base, `${components};keyid="key-1"`)
    expect(check(undated)).toEqual({ ok: false, error: 'stale_signature' })
    expect(verifyRequestSignature(undated, [key.jwk], { nowMs }).ok).toBe(true)
  })

  it('covers derived components and header values as RFC 9421 defines them', () => {
    const headers = new Headers({ 'x-list': ' a ', 'x-other': 'b' })
    headers.append('x-list', 'c ')
    const request = { ...base, headers }
    const list =
      '("@method" "@target-uri" "@authority" "@scheme" "@path" "@query" "@request-target" "x-list")'
    const parsed = parseSignatureHeaders(`sig1=${list};keyid="k"`, 'sig1=:AA==:')
    expect(signatureBase(request, parsed!)).toEqual({
      ok: true,
      value: [
        '"@method": GET',
        `"@target-uri": ${url}`,
        '"@authority": rs.example',
        '"@scheme": https',
        '"@path": /alice/incoming-payments',
        '"@query": ?first=10&cursor=abc',
        '"@request-target": /alice/incoming-payments?first=10&cursor=abc',
        // Headers trims each line and joins them with ", ", as RFC 9421 section 2.1 asks.
        '"x-list": a, c',
        `"@signature-params": ${list};keyid="k"`,
      ].join('\n'),
    })
    const signedList = signRaw(request, `${list};keyid="key-1";created=${created}`)
    expect(check(signedList)).toEqual({ ok: true, value: { keyId: 'key-1' } })
  })
})

describe('Content-Digest', () => {
  const sha256 = (text: string) => `sha-256=:${createHash('sha256').update(text).digest('base64')}:`

  it('accepts sha-256 and sha-512, alone or together', () => {
    const signedBody = signRequest({ method: 'POST', url, body }, signingKey(key), nowMs)
    const sha512 = signedBody['content-digest'] ?? ''
    expect(digestMatches(sha256(body), body)).toBe(true)
    expect(digestMatches(sha512, body)).toBe(true)
    expect(digestMatches(`${sha256(body)}, ${sha512}`, body)).toBe(true)
    expect(digestMatches(`${sha256('other')}, ${sha512}`, body)).toBe(false)
  })

  it('refuses a header without a supported algorithm or with a malformed value', () => {
    expect(digestMatches('md5=:AAAA:', body)).toBe(false)
    expect(digestMatches('constructor=:AAAA:', body)).toBe(false)
    expect(digestMatches('sha-256="abc"', body)).toBe(false)
    expect(digestMatches('sha-256=:', body)).toBe(false)
    expect(digestMatches(null, body)).toBe(false)
    expect(digestMatches('', body)).toBe(false)
  })

  it("also accepts the digest of the body's compact JSON, as http-signature-utils makes it", () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    expect(digestMatches(sha256(body), pretty)).toBe(true)
    expect(digestMatches(sha256(body), pretty.replace('100', '101'))).toBe(false)
    expect(digestMatches(sha256(body), 'not json')).toBe(false)
  })
})

describe('interoperability with @interledger/http-signature-utils', () => {
  const utilsKey = (kid: string): { jwk: JWK; privateKey: KeyObject } => {
    const { privateKey } = generateKeyPairSync('ed25519')
    return { jwk: generateJwk({ keyId: kid, privateKey }), privateKey }
  }

  it.each([
    ['GET', undefined],
    ['POST', body],
  ])('verifies a %s signed by createHeaders (as the Open Payments client signs)', async (m, b) => {
    const { jwk, privateKey } = utilsKey('utils-key')
    const own = { authorization: 'GNAP token-1' }
    const request = { method: m, url, headers: own, ...(b === undefined ? {} : { body: b }) }
    const added = await createHeaders({ request, privateKey, keyId: jwk.kid })
    const headers = new Headers({ ...own, ...added })
    // createHeaders dates its signature with the wall clock.
    const options = { nowMs: Date.now(), maxAgeSeconds: 60 }
    expect(
      verifyRequestSignature({ method: m, url, headers, body: b }, [jwk as Jwk], options),
    ).toEqual({
      ok: true,
      value: { keyId: 'utils-key' },
    })
    const tampered = { method: m, url, headers, body: `${b}x` }
    expect(verifyRequestSignature(tampered, [jwk as Jwk], options).ok).toBe(false)
  })

  it.each([
    ['GET', undefined],
    ['POST', body],
  ])('signs a %s that validateSignature (Rafiki resource server) accepts', async (m, b) => {
    const own = { authorization: 'GNAP token-1' }
    const added = signRequest({ method: m, url, headers: own, body: b }, signingKey(key), nowMs)
    const headers = Object.fromEntries(new Headers({ ...own, ...added }))
    const request = { method: m, url, headers, ...(b === undefined ? {} : { body: b }) }
    expect(await validateSignature(key.jwk, request)).toBe(true)
    const tampered = { ...request, headers: { ...headers, authorization: 'GNAP token-2' } }
    expect(await validateSignature(key.jwk, tampered)).toBe(false)
  })
})

function signingKey(testKey: TestKey) {
  return { keyId: testKey.jwk.kid, privateKey: testKey.privateKey }
}
