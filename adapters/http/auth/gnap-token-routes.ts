// POST /token/{managementId} (rotate) and DELETE /token/{managementId} (revoke), with
// `Authorization: GNAP <access token>`, signed by the client of the token's grant.
import { Hono, type Context } from 'hono'
import type { RevokeToken } from '../../../application/auth/revoke-token.ts'
import type { RotateToken, RotateTokenError } from '../../../application/auth/rotate-token.ts'
import type { AuthGrantRepository } from '../../../application/ports/auth-grant-repository.ts'
import type { PublicUrlOptions } from '../open-payments/wallet-address-routes.ts'
import { gnapToken, type AuthenticateClient } from './gnap-signature.ts'
import {
  accessTokenJson,
  gnapError,
  invalidClient,
  readBoundedText,
  signedRequest,
  tooLarge,
  type GnapErrorReply,
} from './gnap-wire.ts'

export type TokenRoutesDeps = {
  readonly publicUrl: PublicUrlOptions
  readonly grants: AuthGrantRepository
  readonly authenticate: AuthenticateClient
  readonly rotateToken: RotateToken
  readonly revokeToken: RevokeToken
}

const rotateErrors = {
  unknown_token: {
    status: 404,
    code: 'invalid_rotation',
    description: 'the presented token is not the one this management URI manages',
  },
  token_revoked: { status: 400, code: 'invalid_rotation', description: 'the token was revoked' },
  grant_not_live: {
    status: 400,
    code: 'invalid_rotation',
    description: 'the grant was revoked or rejected',
  },
} as const satisfies Record<RotateTokenError, GnapErrorReply>

const missingToken: GnapErrorReply = {
  status: 401,
  code: 'invalid_client',
  description: 'missing Authorization: GNAP <access token>',
}
// Rafiki's token middleware: an unknown management id is an invalid client.
const unknownToken: GnapErrorReply = {
  status: 401,
  code: 'invalid_client',
  description: 'unknown token management URI',
}

async function authenticateToken(
  c: Context,
  deps: TokenRoutesDeps,
  body: string | undefined,
): Promise<{ readonly managementId: string; readonly accessToken: string } | Response> {
  const accessToken = gnapToken(c.req.header('authorization') ?? null)
  if (accessToken === undefined) return gnapError(c, missingToken)
  if (c.req.header('signature') === undefined)
    return gnapError(c, invalidClient('missing_signature'))
  const managementId = c.req.param('id') ?? ''
  const found = await deps.grants.findTokenByManagementId(managementId)
  if (!found) return gnapError(c, unknownToken)
  const signed = await deps.authenticate(signedRequest(c, deps.publicUrl, body), found.grant.client)
  return signed.ok ? { managementId, accessToken } : gnapError(c, invalidClient(signed.error))
}

export function makeTokenRoutes(deps: TokenRoutesDeps): Hono {
  return new Hono()
    .post('/:id', async (c) => {
      const text = await readBoundedText(c)
      if (text === undefined) return gnapError(c, tooLarge)
      const auth = await authenticateToken(c, deps, text)
      if (auth instanceof Response) return auth
      const rotated = await deps.rotateToken(auth)
      if (!rotated.ok) return gnapError(c, rotateErrors[rotated.error])
      return c.json({ access_token: accessTokenJson(rotated.value.access_token) }, 200)
    })
    .delete('/:id', async (c) => {
      const text = await readBoundedText(c)
      if (text === undefined) return gnapError(c, tooLarge)
      const auth = await authenticateToken(c, deps, text)
      if (auth instanceof Response) return auth
      // Rafiki answers 204 whether or not anything was revoked (revoke-token.ts).
      await deps.revokeToken(auth)
      return c.body(null, 204)
    })
}
