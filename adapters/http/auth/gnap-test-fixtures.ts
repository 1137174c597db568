// The GNAP app on the memory repository with a fake clock, real Ed25519 client keys and a fake
// ClientKeys port, and a request helper that signs as the Open Payments client does.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createHeaders } from '@interledger/http-signature-utils'
import { getAuthServerOpenAPI } from '@interledger/open-payments'
import type { OpenAPI } from '@interledger/openapi'
import { makeContinueGrant } from '../../../application/auth/continue-grant.ts'
import { makeIntrospectToken } from '../../../application/auth/introspect-token.ts'
import { makeRequestGrant } from '../../../application/auth/request-grant.ts'
import { makeRevokeGrantByContinuation } from '../../../application/auth/revoke-grant.ts'
import { makeRevokeToken } from '../../../application/auth/revoke-token.ts'
import { makeRotateToken } from '../../../application/auth/rotate-token.ts'
import type { AuthGrantRepository } from '../../../application/ports/auth-grant-repository.ts'
import type { ClientKeys } from '../../../application/ports/client-keys.ts'
import type { Logger } from '../../../application/ports/logger.ts'
import type { Jwk } from '../../../domain/open-payments/jwk.ts'
import type { PageRequest } from '../../../domain/pagination/page.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import { requestSignatureVerifier } from '../../auth/http-signature.ts'
import { makeFakeClock } from '../../memory/fake-clock.ts'
import { randomIds } from '../../system/random-ids.ts'
import { makeMemoryAuthGrantRepository } from '../../memory/memory-auth-grant-repository.ts'
import { makeGnapApp, type GnapAppDeps } from './gnap-app.ts'

export type ClientKey = { readonly jwk: Jwk; readonly privateKey: KeyObject }

export function newClientKey(kid = `key-${crypto.randomUUID()}`): ClientKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const { x } = publicKey.export({ format: 'jwk' })
  if (x === undefined) throw new Error('no x')
  return { jwk: { kid, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x }, privateKey }
}

export type GnapSetupOptions = {
  readonly authServerUrl?: string
  readonly allowHttp?: boolean
  readonly overrides?: Partial<GnapAppDeps>
}

export function setupGnap(options: GnapSetupOptions = {}) {
  const authServerUrl = options.authServerUrl ?? 'https://auth.example'
  // createHeaders dates signatures with the wall clock, so the fake one starts there.
  const clock = makeFakeClock(Date.now())
  const grants = makeMemoryAuthGrantRepository()
  const published = new Map<string, Jwk[]>()
  const keyFetches: string[] = []
  const clientKeys: ClientKeys = {
    async getKeys(url) {
      keyFetches.push(url)
      const keys = published.get(url)
      return keys ? ok(keys) : err('unreachable')
    },
  }
  const errors: unknown[] = []
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error: (fields) => errors.push(fields),
  }
  const ids = randomIds
  let n = 0
  const secrets = { secret: () => `S${(n += 1).toString().padStart(4, '0')}${crypto.randomUUID()}` }
  const config = {
    authServerUrl,
    accessTokenExpirySeconds: 600,
    waitSeconds: 5,
    interactionExpirySeconds: 600,
    incomingPaymentInteraction: false,
    quoteInteraction: false,
    listAllAccessInteraction: true,
  }
  const core = { grants, clock, ids, secrets, config }
  const app = makeGnapApp({
    logger,
    authServerUrl,
    publicUrl: { trustProxy: false, allowHttp: options.allowHttp ?? false },
    signature: {
      clientKeys,
      signatures: requestSignatureVerifier,
      clock,
      signatureMaxAgeSeconds: 300,
    },
    grants,
    requestGrant: makeRequestGrant(core),
    continueGrant: makeContinueGrant(core),
    revokeGrantByContinuation: makeRevokeGrantByContinuation(core),
    rotateToken: makeRotateToken(core),
    revokeToken: makeRevokeToken(core),
    ...options.overrides,
  })
  const introspect = makeIntrospectToken({ grants, clock })

  /** A client wallet address whose JWKS (via the fake port) holds one new key. */
  const newClient = (url = `https://wallet.example/app-${crypto.randomUUID()}`) => {
    const key = newClientKey()
    published.set(url, [key.jwk])
    return { url, key }
  }

  type Call = {
    readonly method: 'GET' | 'POST' | 'DELETE'
    readonly path: string
    readonly body?: unknown
    readonly token?: string
    /** Signs with this key; unsigned without. */
    readonly key?: ClientKey
    /** Replaces the body after signing. */
    readonly tamperedBody?: string
    readonly headers?: Record<string, string>
  }
  const call = async (request: Call): Promise<Response> => {
    const url = `${authServerUrl}${request.path}`
    const body = request.body === undefined ? undefined : JSON.stringify(request.body)
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers }
    if (request.token !== undefined) headers['authorization'] = `GNAP ${request.token}`
    if (request.key) {
      const signed = await createHeaders({
        request: { method: request.method, url, headers, body } as never,
        privateKey: request.key.privateKey,
        keyId: request.key.jwk.kid,
      })
      Object.assign(headers, signed)
    }
    if (body !== undefined && !('Content-Type' in headers)) {
      headers['content-type'] = 'application/json'
    }
    return app.request(url, {
      method: request.method,
      headers,
      body: request.tamperedBody ?? body ?? null,
    })
  }

  return { app, clock, grants, published, keyFetches, errors, introspect, newClient, call }
}

/** Whether the auth-server spec documents this response for the path and method. */
export async function matchesSpec(
  path: string,
  method: 'post' | 'delete',
  response: Response,
): Promise<boolean> {
  spec ??= getAuthServerOpenAPI()
  const text = await response.clone().text()
  const body: unknown = text === '' ? undefined : JSON.parse(text)
  const validate = (await spec).createResponseValidator({ path, method: method as never })
  try {
    return validate({ status: response.status, body })
  } catch {
    return false
  }
}
let spec: Promise<OpenAPI> | undefined

const everyGrant = {
  limit: 100,
  cursor: undefined,
  direction: 'forward',
  sortOrder: 'ASC',
} as const

export async function grantCount(grants: AuthGrantRepository): Promise<number> {
  const page = await grants.list({}, everyGrant satisfies PageRequest)
  if (!page.ok) throw new Error(page.error)
  return page.value.items.length
}

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export const alice = 'https://wallet.example/alice'
export const incomingAccess = {
  type: 'incoming-payment',
  actions: ['create', 'read'],
  identifier: alice,
}
export const outgoingAccess = {
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  limits: { debitAmount: { value: '500', assetCode: 'USD', assetScale: 2 } },
}
export const clientFinish = {
  method: 'redirect',
  uri: 'https://client.example/return',
  nonce: 'CLIENT-NONCE',
}

/** An interactive grant requested through HTTP; returns what the client got. */
export async function pendingGrant(t: ReturnType<typeof setupGnap>, withFinish: boolean) {
  const client = t.newClient()
  const response = await t.call({
    method: 'POST',
    path: '/',
    body: {
      access_token: { access: [outgoingAccess] },
      client: client.url,
      interact: { start: ['redirect'], ...(withFinish && { finish: clientFinish }) },
    },
    key: client.key,
  })
  if (response.status !== 200) throw new Error(`grant request: ${response.status}`)
  const body = (await response.json()) as Json
  const continueToken: string = body['continue']['access_token']['value']
  const path = new URL(body['continue']['uri']).pathname
  const stored = await t.grants.findByContinueId(path.split('/').at(-1) ?? '')
  const interaction = stored?.interaction
  if (!interaction) throw new Error('no interaction')
  const approve = async () => {
    const decided = await t.grants.decideInteraction(interaction.id, 'APPROVED', new Date())
    if (!decided.ok) throw new Error(decided.error)
  }
  return { client, continueToken, path, interaction, approve }
}
