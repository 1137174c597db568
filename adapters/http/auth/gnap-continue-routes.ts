// POST /continue/{id} (continue a grant) and DELETE /continue/{id} (cancel or delete it), with
// `Authorization: GNAP <continue token>`, signed by the grant's client.
import { Hono, type Context } from 'hono'
import {
  continueGrantErrorReply,
  type ContinueGrant,
} from '../../../application/auth/continue-grant.ts'
import {
  revokeGrantErrorReply,
  type RevokeGrantByContinuation,
} from '../../../application/auth/revoke-grant.ts'
import { secretsEqual } from '../../../application/auth/token-response.ts'
import type { AuthGrantRepository } from '../../../application/ports/auth-grant-repository.ts'
import type { PublicUrlOptions } from '../open-payments/wallet-address-routes.ts'
import { gnapToken, type AuthenticateClient } from './gnap-signature.ts'
import {
  accessTokenJson,
  gnapError,
  invalidClient,
  parseContinueBody,
  readBoundedText,
  signedRequest,
  tooLarge,
  type GnapErrorReply,
} from './gnap-wire.ts'

export type ContinueRoutesDeps = {
  readonly publicUrl: PublicUrlOptions
  readonly grants: AuthGrantRepository
  readonly authenticate: AuthenticateClient
  readonly continueGrant: ContinueGrant
  readonly revokeGrantByContinuation: RevokeGrantByContinuation
}

const continueDescription = {
  unknown_continuation: 'unknown continue URI or continue token',
  invalid_continuation: 'the grant cannot be continued (finalized, or a wrong interact_ref)',
  too_fast: 'continued faster than the "wait" period',
  user_denied: 'the user rejected the grant',
  request_denied: 'the grant cannot be continued this way (not approved, or finish expected)',
} as const

const revokeDescription = {
  unknown_continuation: continueDescription.unknown_continuation,
  invalid_transition: 'the grant was rejected or revoked already',
} as const

const missingToken: GnapErrorReply = {
  status: 401,
  code: 'invalid_client',
  description: 'missing Authorization: GNAP <continue token>',
}
const unknownContinuation: GnapErrorReply = {
  status: 401,
  code: 'invalid_continuation',
  description: continueDescription.unknown_continuation,
}

/**
 * The continue token and the signature of the grant's client, checked before anything else;
 * a Response when they do not hold.
 */
async function authenticateContinuation(
  c: Context,
  deps: ContinueRoutesDeps,
  body: string | undefined,
): Promise<{ readonly continueToken: string } | Response> {
  const continueToken = gnapToken(c.req.header('authorization') ?? null)
  if (continueToken === undefined) return gnapError(c, missingToken)
  if (c.req.header('signature') === undefined)
    return gnapError(c, invalidClient('missing_signature'))
  const found = await deps.grants.findByContinueId(c.req.param('id') ?? '')
  if (!found || !secretsEqual(continueToken, found.grant.continueToken)) {
    return gnapError(c, unknownContinuation)
  }
  const signed = await deps.authenticate(signedRequest(c, deps.publicUrl, body), found.grant.client)
  return signed.ok ? { continueToken } : gnapError(c, invalidClient(signed.error))
}

export function makeContinueRoutes(deps: ContinueRoutesDeps): Hono {
  return new Hono()
    .post('/:id', async (c) => {
      const text = await readBoundedText(c)
      if (text === undefined) return gnapError(c, tooLarge)
      const body = parseContinueBody(text)
      if ('problem' in body) {
        return gnapError(c, { status: 400, code: 'invalid_request', description: body.problem })
      }
      const auth = await authenticateContinuation(c, deps, text)
      if (auth instanceof Response) return auth
      const result = await deps.continueGrant({
        continueId: c.req.param('id'),
        continueToken: auth.continueToken,
        ...body,
      })
      if (!result.ok) {
        const reply = continueGrantErrorReply[result.error]
        return gnapError(c, { ...reply, description: continueDescription[result.error] })
      }
      const outcome = result.value
      if (outcome.kind === 'pending') return c.json(outcome.response, 200)
      const { access_token, ...rest } = outcome.response
      return c.json({ ...rest, access_token: accessTokenJson(access_token) }, 200)
    })
    .delete('/:id', async (c) => {
      const text = await readBoundedText(c)
      if (text === undefined) return gnapError(c, tooLarge)
      const auth = await authenticateContinuation(c, deps, text)
      if (auth instanceof Response) return auth
      const result = await deps.revokeGrantByContinuation({
        continueId: c.req.param('id'),
        continueToken: auth.continueToken,
      })
      if (result.ok) return c.body(null, 204)
      const reply = revokeGrantErrorReply[result.error]
      return gnapError(c, { ...reply, description: revokeDescription[result.error] })
    })
}
