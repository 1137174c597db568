// GNAP continuation (POST /continue/{id}): what the authorization server does with a request
// that presents the grant's continue token, with or without an interact_ref.
import { err, ok, type Result } from '../shared/result.ts'
import type { Grant } from './grant.ts'

export type ContinueRequest = {
  /** From `Authorization: GNAP <token>`. */
  readonly continueToken: string
  /** Present when the client continues after the finish redirect. */
  readonly interactRef?: string
}

export type ContinueDecision =
  /** Issue the access token and finalize the grant (ISSUED). */
  | 'issue'
  /** Still waiting for the user: answer with the continue URI and `wait` again. */
  | 'pending'

export type ContinueError = 'invalid_continuation' | 'too_fast' | 'user_denied' | 'request_denied'

/**
 * Decides a continuation. `expectedInteractRef` is the ref of the grant's interaction, when it
 * has one. Polling (no interact_ref) sooner than `waitSeconds` after the last continuation is
 * too_fast. Token comparison here is plain: the adapter must compare in constant time before.
 */
export function decideContinuation(
  grant: Grant,
  request: ContinueRequest,
  expectedInteractRef: string | undefined,
  nowMs: number,
): Result<ContinueDecision, ContinueError> {
  if (request.continueToken !== grant.continueToken) return err('invalid_continuation')
  if (grant.state === 'FINALIZED') {
    return err(grant.finalizationReason === 'REJECTED' ? 'user_denied' : 'invalid_continuation')
  }
  if (request.interactRef !== undefined) {
    if (expectedInteractRef === undefined || request.interactRef !== expectedInteractRef) {
      return err('invalid_continuation')
    }
    return grant.state === 'APPROVED' ? ok('issue') : err('request_denied')
  }
  if (nowMs < grant.lastContinuedAt.getTime() + grant.waitSeconds * 1000) return err('too_fast')
  return ok(grant.state === 'APPROVED' ? 'issue' : 'pending')
}
