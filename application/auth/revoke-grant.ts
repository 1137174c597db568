// The client cancels its grant request or deletes its grant (DELETE /continue/{continueId},
// Rafiki auth grant/routes.ts revokeGrant): with the continue token, the grant is finalized as
// REVOKED and every token of it revoked.
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { Clock } from '../ports/clock.ts'
import { secretsEqual } from './token-response.ts'

export type RevokeGrantByContinuationRequest = {
  readonly continueId: string
  /** From `Authorization: GNAP <token>`. */
  readonly continueToken: string
}

export type RevokeGrantByContinuationError =
  /** No grant with this continue id, or the token is not its continue token. */
  | 'unknown_continuation'
  /** Rejected or revoked already. */
  | 'invalid_transition'

/** Rafiki: 401 invalid_continuation before it looks further, 404 invalid_request when it cannot. */
export const revokeGrantErrorReply = {
  unknown_continuation: { status: 401, code: 'invalid_continuation' },
  invalid_transition: { status: 404, code: 'invalid_request' },
} as const satisfies Record<RevokeGrantByContinuationError, { status: 401 | 404; code: string }>

export type RevokeGrantByContinuation = (
  request: RevokeGrantByContinuationRequest,
) => Promise<Result<void, RevokeGrantByContinuationError>>

export const makeRevokeGrantByContinuation =
  (deps: {
    readonly grants: AuthGrantRepository
    readonly clock: Clock
  }): RevokeGrantByContinuation =>
  async ({ continueId, continueToken }) => {
    const found = await deps.grants.findByContinueId(continueId)
    if (!found || !secretsEqual(continueToken, found.grant.continueToken)) {
      return err('unknown_continuation')
    }
    const revoked = await deps.grants.revokeGrant(found.grant.id, new Date(deps.clock.now()))
    if (revoked.ok) return ok(undefined)
    // unknown_grant: deleted between the two reads; to the client it is just gone.
    return err(revoked.error === 'unknown_grant' ? 'unknown_continuation' : 'invalid_transition')
  }
