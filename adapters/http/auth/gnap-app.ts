// The GNAP back channel of the embedded authorization server (AUTH_PORT), as Rafiki's auth
// service: discovery, grant requests, continuation and cancellation, token rotation and
// revocation. Every call but discovery is signed by the client (gnap-signature.ts); a refused
// signature stores and issues nothing.
import { healthz } from '../json-fallbacks.ts'
import { Hono } from 'hono'
import type { ContinueGrant } from '../../../application/auth/continue-grant.ts'
import {
  requestGrantErrorCode,
  type RequestGrant,
  type RequestGrantError,
} from '../../../application/auth/request-grant.ts'
import type { RevokeGrantByContinuation } from '../../../application/auth/revoke-grant.ts'
import type { RevokeToken } from '../../../application/auth/revoke-token.ts'
import type { RotateToken } from '../../../application/auth/rotate-token.ts'
import type { AuthGrantRepository } from '../../../application/ports/auth-grant-repository.ts'
import type { Logger } from '../../../application/ports/logger.ts'
import type { PublicUrlOptions } from '../open-payments/wallet-address-routes.ts'
import { makeContinueRoutes } from './gnap-continue-routes.ts'
import { makeAuthenticateClient, type GnapSignatureDeps } from './gnap-signature.ts'
import { makeTokenRoutes } from './gnap-token-routes.ts'
import {
  accessTokenJson,
  gnapError,
  invalidClient,
  parseGrantRequest,
  readJsonBody,
  badRequest,
  signedRequest,
  withGnapFallbacks,
} from './gnap-wire.ts'

export type GnapAppDeps = {
  readonly logger: Logger
  /** AUTH_SERVER_URL */
  readonly authServerUrl: string
  /** How `@target-uri` is rebuilt behind a proxy (TRUST_PROXY) and whether http is allowed. */
  readonly publicUrl: PublicUrlOptions
  readonly signature: GnapSignatureDeps
  /** Read only: the client of a continuation or a managed token, to check the signature first. */
  readonly grants: AuthGrantRepository
  readonly requestGrant: RequestGrant
  readonly continueGrant: ContinueGrant
  readonly revokeGrantByContinuation: RevokeGrantByContinuation
  readonly rotateToken: RotateToken
  readonly revokeToken: RevokeToken
  /** Routes served on the same port (GET /interact/{id}/{nonce}, ...), mounted before the 404. */
  readonly interactionRoutes?: Hono
}

const grantErrorDescription = {
  no_access: 'access_token.access must name at least one access item',
  too_many_access_items: 'too many access items',
  unknown_action: 'an access item has an action its type does not have, or none',
  duplicate_action: 'an access item repeats an action',
  identifier_required: 'outgoing-payment access needs an identifier (the wallet address)',
  limits_not_allowed: 'only outgoing-payment access may carry limits',
  both_amount_limits: 'only one of debitAmount and receiveAmount may be limited',
  invalid_limit_amount: 'a limit amount must be a positive unsigned 64-bit integer',
  invalid_interval: 'limits.interval must be an ISO 8601 repeating interval',
  interact_required: 'missing required request field \'interact\' (start: ["redirect"])',
  wallet_address_client_required:
    'access that needs the user cannot be requested by a directed-identity (jwk) client',
} as const satisfies Record<RequestGrantError, string>

export function makeGnapApp(deps: GnapAppDeps): Hono {
  const authenticate = makeAuthenticateClient(deps.signature)
  const base = deps.authServerUrl.replace(/\/+$/, '')
  const app = healthz(new Hono())
    .get('/discovery', (c) =>
      c.json({
        grant_request_endpoint: `${base}/`,
        interaction_start_modes_supported: ['redirect'],
        interaction_finish_modes_supported: ['redirect'],
        key_proofs_supported: ['httpsig'],
      }),
    )
    .post('/', async (c) => {
      const body = await readJsonBody(c)
      if ('refusal' in body) return gnapError(c, body.refusal)
      const { text, json } = body
      const request = parseGrantRequest(json)
      if ('problem' in request) return gnapError(c, badRequest(request.problem))
      const signed = await authenticate(signedRequest(c, deps.publicUrl, text), request.client)
      if (!signed.ok) return gnapError(c, invalidClient(signed.error))
      const result = await deps.requestGrant(request)
      if (!result.ok) {
        const code = requestGrantErrorCode[result.error]
        return gnapError(c, { status: 400, code, description: grantErrorDescription[result.error] })
      }
      const outcome = result.value
      if (outcome.kind === 'pending') return c.json(outcome.response, 200)
      const { access_token, ...rest } = outcome.response
      return c.json({ ...rest, access_token: accessTokenJson(access_token) }, 200)
    })
  const routeDeps = { ...deps, authenticate }
  app.route('/continue', makeContinueRoutes(routeDeps))
  app.route('/token', makeTokenRoutes(routeDeps))
  if (deps.interactionRoutes) app.route('/', deps.interactionRoutes)
  return withGnapFallbacks(app, deps.logger)
}
