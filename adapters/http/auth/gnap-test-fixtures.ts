// The GNAP app on the memory repository with a fake clock, real Ed25519 client keys and a fake
// ClientKeys port, and a request helper that signs as the Open Payments client does.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createHeaders } from '@interledger/http-signature-utils'
import { makeContinueGrant } from '../../../application/auth/continue-grant.ts'
import { makeIntrospectToken } from '../../../application/auth/introspect-token.ts'
import { makeRequestGrant } from '../../../application/auth/request-grant.ts'
import { makeRevokeGrantByContinuation } from '../../../application/auth/revoke-grant.ts'
import { makeRevokeToken } from '../../../application/auth/revoke-token.ts'
import { makeRotateToken } from '../../../application/auth/rotate-token.ts'
import type { ClientKeys } from '../../../application/ports/client-keys.ts'
import type { Logger } from '../../../application/ports/logger.ts'
import type { Jwk } from '../../../domain/open-payments/jwk.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import { requestSignatureVerifier } from '../../auth/http-signature.ts'
import { makeFakeClock } from '../../memory/fake-clock.ts'
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
  const ids = { uuid: () => crypto.randomUUID() }
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
