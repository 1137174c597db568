// The access-token cleanup of the embedded authorization server: tokens that expired or were
// revoked more than ACCESS_TOKEN_DELETION_DAYS ago can never be introspected active or rotated
// again, so they are deleted, a batch per step, by a worker loop that wakes up now and then.
import { tokenDeletionCutoff } from '../../domain/auth/access-token.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { Clock } from '../ports/clock.ts'

/** The work-signal topic of the cleanup worker; nothing notifies it, it runs on its poll. */
export const deadTokenCleanupTopic = 'auth_token_cleanup'

/** The cleanup's poll: it has nothing urgent to do. */
export const deadTokenCleanupIdleMs = 3_600_000

export type DeleteDeadTokensDeps = {
  readonly grants: AuthGrantRepository
  readonly clock: Clock
  /** ACCESS_TOKEN_DELETION_DAYS. */
  readonly deletionDays: number
  /** Tokens deleted per step (one statement). */
  readonly deletionBatchMax: number
}

/**
 * One worker step (for makeWorkerLoop's processNext): deletes up to deletionBatchMax tokens dead
 * since before now - deletionDays. True when the batch was full, so the loop goes on at once
 * until the backlog is gone, then sleeps until its next poll.
 */
export function makeDeleteDeadTokens(deps: DeleteDeadTokensDeps): () => Promise<boolean> {
  const { deletionDays, deletionBatchMax } = deps
  assert(Number.isFinite(deletionDays) && deletionDays >= 0, 'deletionDays >= 0')
  assert(Number.isSafeInteger(deletionBatchMax) && deletionBatchMax >= 1, 'deletionBatchMax >= 1')
  return async () => {
    const cutoff = tokenDeletionCutoff(deps.clock.now(), deletionDays)
    const deleted = await deps.grants.deleteTokensDeadBefore(cutoff, deletionBatchMax)
    assert(deleted >= 0 && deleted <= deletionBatchMax, 'deleted more tokens than the batch')
    return deleted === deletionBatchMax
  }
}
