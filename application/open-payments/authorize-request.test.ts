import { generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { requestSignatureVerifier, signRequest } from '../../adapters/auth/http-signature.ts'
import type { AccessItem, RequiredAccess } from '../../domain/open-payments/access.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { ClientKeys, ClientKeysError, GetKeysOptions } from '../ports/client-keys.ts'
import type { SignedRequest } from '../ports/request-signature-verifier.ts'
import type {
  IntrospectionError,
  IntrospectionRequest,
  TokenInfo,
  TokenIntrospection,
} from '../ports/token-introspection.ts'
import { makeAuthorizeRequest, type AuthorizeRequestDeps } from './authorize-request.ts'

const alice = 'https://wallet.example/alice'
const client = 'https://client.example/app'
const grant = 'grant-1'
const token = 'OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0'

type FakeIntrospection = TokenIntrospection & { readonly asked: IntrospectionRequest[] }

function fakeIntrospection(answer: Result<TokenInfo, IntrospectionError>): FakeIntrospection {
  const asked: IntrospectionRequest[] = []
  return {
    asked,
    async introspect(request) {
      asked.push(request)
      return answer
    },
  }
}

const active = (access: readonly AccessItem[]) =>
  fakeIntrospection(ok({ active: true, grant, client, access }))

type FakeKeys = ClientKeys & {
  readonly asked: { readonly url: string; readonly options: GetKeysOptions | undefined }[]
}

/** Answers `first` at first, and `refreshed` when asked to refresh. */
function fakeKeys(
  first: Result<readonly Jwk[], ClientKeysError>,
  refreshed: Result<readonly Jwk[], ClientKeysError> = first,
): FakeKeys {
  const asked: { url: string; options: GetKeysOptions | undefined }[] = []
  return {
    asked,
    async getKeys(url, options) {
      asked.push({ url, options })
      return options?.refresh === true ? refreshed : first
    },
  }
}

type TestKey = { readonly jwk: Jwk; readonly privateKey: KeyObject }

function makeKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const { x = '' } = publicKey.export({ format: 'jwk' })
  return { jwk: { kid, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x }, privateKey }
}

const clientKey = makeKey('client-key')
const newKey = makeKey('new-key')
const clock = makeFakeClock()

function signedRequest(
  init: { authorization?: string | null; body?: string; signer?: TestKey } = {},
): SignedRequest {
  const url = `https://rs.example/incoming-payments?wallet-address=${encodeURIComponent(alice)}`
  const method = init.body === undefined ? 'GET' : 'POST'
  const authorization = init.authorization === undefined ? `GNAP ${token}` : init.authorization
  const own: Record<string, string> = authorization === null ? {} : { authorization }
  const signer = init.signer ?? clientKey
  const key = { keyId: signer.jwk.kid, privateKey: signer.privateKey }
  const added = signRequest({ method, url, headers: own, body: init.body }, key, clock.now())
  return { method, url, headers: new Headers({ ...own, ...added }), body: init.body }
}

const listIncoming: RequiredAccess = { type: 'incoming-payment', action: 'list', identifier: alice }

function authorize(
  introspection: TokenIntrospection,
  keys: ClientKeys = fakeKeys(ok([clientKey.jwk])),
  overrides: Partial<AuthorizeRequestDeps> = {},
) {
  return makeAuthorizeRequest({
    introspection,
    clientKeys: keys,
    signatures: requestSignatureVerifier,
    clock,
    signatureMaxAgeSeconds: 300,
    ...overrides,
  })
}

describe('authorizeRequest', () => {
  it('authorizes a signed request whose token grants the access, restricted to own', async () => {
    const introspection = active([
      { type: 'incoming-payment', actions: ['create', 'list'], identifier: alice },
    ])
    const keys = fakeKeys(ok([clientKey.jwk]))
    const result = await authorize(
      introspection,
      keys,
    )({
      request: signedRequest(),
      access: listIncoming,
    })
    expect(result).toEqual(ok({ clientId: client, grantId: grant, restrictedToClient: true }))
    expect(introspection.asked).toEqual([
      {
        accessToken: token,
        access: [{ type: 'incoming-payment', actions: ['list'], identifier: alice }],
      },
    ])
    expect(keys.asked).toEqual([{ url: client, options: undefined }])
  })

  it('lets list-all see every client’s resources', async () => {
    const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
    const result = await authorize(introspection)({
      request: signedRequest(),
      access: listIncoming,
    })
    expect(result).toEqual(ok({ clientId: client, grantId: grant, restrictedToClient: false }))
  })

  it('hands back the limits of an outgoing-payment grant', async () => {
    const limits = {
      debitAmount: { value: 500n, assetCode: 'USD', assetScale: 2 },
      interval: 'R/2025-01-01T00:00:00Z/P1M',
    }
    const introspection = active([
      { type: 'outgoing-payment', actions: ['create', 'read'], identifier: alice, limits },
    ])
    const result = await authorize(introspection)({
      request: signedRequest({ body: '{"walletAddress":"https://wallet.example/alice"}' }),
      access: { type: 'outgoing-payment', action: 'create', identifier: alice },
    })
    expect(result).toEqual(
      ok({ clientId: client, grantId: grant, restrictedToClient: false, limits }),
    )
  })

  it.each([
    ['no Authorization header', null],
    ['a Bearer token', `Bearer ${token}`],
    ['a lower-case scheme', `gnap ${token}`],
    ['no token', 'GNAP '],
    ['two tokens', `GNAP ${token} other`],
    ['two spaces', `GNAP  ${token}`],
    ['an over-long token', `GNAP ${'a'.repeat(4097)}`],
  ])('refuses %s as unauthorized without asking the auth server', async (_, authorization) => {
    const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
    const result = await authorize(introspection)({
      request: signedRequest({ authorization }),
      access: listIncoming,
    })
    expect(result).toEqual(err('unauthorized'))
    expect(introspection.asked).toEqual([])
  })

  it.each(['signature', 'signature-input'])(
    'refuses a request without %s without asking the auth server',
    async (header) => {
      const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
      const request = signedRequest()
      const headers = new Headers(request.headers as Headers)
      headers.delete(header)
      const result = await authorize(introspection)({
        request: { ...request, headers },
        access: listIncoming,
      })
      expect(result).toEqual(err('unauthorized'))
      expect(introspection.asked).toEqual([])
    },
  )

  it('refuses an inactive token as unauthorized', async () => {
    const keys = fakeKeys(ok([clientKey.jwk]))
    const result = await authorize(
      fakeIntrospection(ok({ active: false })),
      keys,
    )({
      request: signedRequest(),
      access: listIncoming,
    })
    expect(result).toEqual(err('unauthorized'))
    expect(keys.asked).toEqual([])
  })

  it.each(['unreachable', 'invalid_response'] as const)(
    'reports an auth server failure (%s) as unreachable',
    async (error) => {
      const result = await authorize(fakeIntrospection(err(error)))({
        request: signedRequest(),
        access: listIncoming,
      })
      expect(result).toEqual(err('unreachable'))
    },
  )

  it('refuses a signed request whose grant lacks the access as forbidden', async () => {
    const cases: AccessItem[][] = [
      [],
      [{ type: 'incoming-payment', actions: ['read-all', 'create'], identifier: alice }],
      [
        {
          type: 'incoming-payment',
          actions: ['list-all'],
          identifier: 'https://wallet.example/bob',
        },
      ],
      [{ type: 'quote', actions: ['create', 'read-all'] }],
    ]
    for (const access of cases) {
      const result = await authorize(active(access))({
        request: signedRequest(),
        access: listIncoming,
      })
      expect(result).toEqual(err('forbidden'))
    }
  })

  it('checks the signature before the access: unsigned by the client is unauthorized', async () => {
    const stranger = makeKey('client-key')
    const result = await authorize(active([]))({
      request: signedRequest({ signer: stranger }),
      access: listIncoming,
    })
    expect(result).toEqual(err('unauthorized'))
  })

  it('refuses a tampered request as unauthorized', async () => {
    const introspection = active([{ type: 'incoming-payment', actions: ['create'] }])
    const request = signedRequest({ body: '{"incomingAmount":{"value":"1"}}' })
    const result = await authorize(introspection)({
      request: { ...request, body: '{"incomingAmount":{"value":"9"}}' },
      access: { type: 'incoming-payment', action: 'create', identifier: alice },
    })
    expect(result).toEqual(err('unauthorized'))
  })

  it('refuses a signature older than signatureMaxAgeSeconds', async () => {
    const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
    const request = signedRequest()
    const late = makeFakeClock(clock.now() + 301_000)
    const result = await authorize(introspection, undefined, { clock: late })({
      request,
      access: listIncoming,
    })
    expect(result).toEqual(err('unauthorized'))
  })

  it('looks the keys up again once for an unknown kid, and accepts a new key', async () => {
    const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
    const keys = fakeKeys(ok([clientKey.jwk]), ok([clientKey.jwk, newKey.jwk]))
    const result = await authorize(
      introspection,
      keys,
    )({
      request: signedRequest({ signer: newKey }),
      access: listIncoming,
    })
    expect(result.ok).toBe(true)
    expect(keys.asked).toEqual([
      { url: client, options: undefined },
      { url: client, options: { refresh: true } },
    ])
  })

  it('refuses a kid the client does not publish even after a refresh', async () => {
    const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
    const keys = fakeKeys(ok([clientKey.jwk]))
    const result = await authorize(
      introspection,
      keys,
    )({
      request: signedRequest({ signer: newKey }),
      access: listIncoming,
    })
    expect(result).toEqual(err('unauthorized'))
    expect(keys.asked).toHaveLength(2)
  })

  it('does not refresh for a wrong signature under a known kid', async () => {
    const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
    const keys = fakeKeys(ok([clientKey.jwk]))
    const impostor = { jwk: clientKey.jwk, privateKey: newKey.privateKey }
    const result = await authorize(
      introspection,
      keys,
    )({
      request: signedRequest({ signer: impostor }),
      access: listIncoming,
    })
    expect(result).toEqual(err('unauthorized'))
    expect(keys.asked).toHaveLength(1)
  })

  it.each(['unreachable', 'invalid_keys'] as const)(
    'refuses as unauthorized when the client keys are %s',
    async (error) => {
      const introspection = active([{ type: 'incoming-payment', actions: ['list-all'] }])
      const result = await authorize(
        introspection,
        fakeKeys(err(error)),
      )({
        request: signedRequest(),
        access: listIncoming,
      })
      expect(result).toEqual(err('unauthorized'))
    },
  )
})
