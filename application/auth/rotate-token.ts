// Token rotation (POST /token/{managementId}, Rafiki auth accessToken/routes.ts rotate): the
// client presents the token it manages and gets a new one with the same access; the old one is
// revoked. An expired token may be rotated (that is what rotation is for); a revoked one not.
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { AuthSecrets } from '../ports/auth-secrets.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import {
  accessTokenResponse,
  newAccessToken,
  secretsEqual,
  type AccessTokenResponse,
} from './token-response.ts'

export type RotateTokenRequest = {
  readonly managementId: string
  /** From `Authorization: GNAP <token>`: must be the token this management id belongs to. */
  readonly accessToken: string
}

export type RotateTokenError =
  /** No token with this management id, or the presented value is not its value. */
  | 'unknown_token'
  /** Revoked, or already rotated (by this request's competitor, too). */
  | 'token_revoked'
  /** The grant was revoked or rejected. */
  | 'grant_not_live'

export const rotateTokenErrorCode = {
  unknown_token: 'invalid_rotation',
  token_revoked: 'invalid_rotation',
  grant_not_live: 'invalid_rotation',
} as const satisfies Record<RotateTokenError, 'invalid_rotation'>

export type RotateToken = (
  request: RotateTokenRequest,
) => Promise<Result<{ readonly access_token: AccessTokenResponse }, RotateTokenError>>

export const makeRotateToken =
  (deps: {
    readonly grants: AuthGrantRepository
    readonly clock: Clock
    readonly ids: IdGenerator
    readonly secrets: AuthSecrets
    readonly config: {
      readonly authServerUrl: string
      readonly accessTokenExpirySeconds: number
    }
  }): RotateToken =>
  async ({ managementId, accessToken }) => {
    const found = await deps.grants.findTokenByManagementId(managementId)
    if (!found || !secretsEqual(accessToken, found.token.value)) return err('unknown_token')
    const at = new Date(deps.clock.now())
    // The repository re-checks revocation and the grant atomically: of racing rotations one wins.
    const replacement = newAccessToken(deps, found.grant.id, at)
    const rotated = await deps.grants.rotateToken(managementId, replacement, at)
    if (!rotated.ok) return rotated
    const token = rotated.value
    return ok({
      access_token: accessTokenResponse(deps.config.authServerUrl, token, found.grant.access),
    })
  }
