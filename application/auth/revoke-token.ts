// Token revocation (DELETE /token/{managementId}, Rafiki auth accessToken/routes.ts revoke): only
// with the token's own value. Rafiki answers 204 whether or not anything was revoked, so the
// HTTP layer may treat both errors as success; they are told apart for logs and tests.
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { Clock } from '../ports/clock.ts'
import { secretsEqual } from './token-response.ts'

export type RevokeTokenRequest = {
  readonly managementId: string
  /** From `Authorization: GNAP <token>`. */
  readonly accessToken: string
}

export type RevokeTokenError =
  /** No token with this management id, or the presented value is not its value. */
  | 'unknown_token'
  /** Revoked before (by the client, by rotation or with its grant). */
  | 'token_revoked'

export type RevokeToken = (request: RevokeTokenRequest) => Promise<Result<void, RevokeTokenError>>

export const makeRevokeToken =
  (deps: { readonly grants: AuthGrantRepository; readonly clock: Clock }): RevokeToken =>
  async ({ managementId, accessToken }) => {
    const found = await deps.grants.findTokenByManagementId(managementId)
    if (!found || !secretsEqual(accessToken, found.token.value)) return err('unknown_token')
    // False when a concurrent revocation or rotation got there first.
    const revoked = await deps.grants.revokeToken(managementId, new Date(deps.clock.now()))
    return revoked ? ok(undefined) : err('token_revoked')
  }
