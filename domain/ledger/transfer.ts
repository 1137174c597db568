import { isUInt64 } from '../shared/uint64.ts'
import { isUuid } from '../shared/uuid.ts'

/**
 * A transfer request. `single` moves money at once; `pending` holds it until a `post` (moves the
 * held amount) or a `void` (releases it), or until its timeout, after which it can only be voided.
 * Every id is chosen by the caller and persisted before submission, so a retry is idempotent.
 */
export type TransferRequest =
  | {
      readonly type: 'single' | 'pending'
      readonly id: string
      readonly debitAccountId: string
      readonly creditAccountId: string
      readonly amount: bigint
      /** Both accounts must be on this ledger. */
      readonly ledger: number
      /** pending only: seconds until the hold expires (> 0). */
      readonly timeoutSeconds?: number
    }
  | { readonly type: 'post' | 'void'; readonly id: string; readonly pendingId: string }

export type TransferError =
  | 'invalid_id'
  | 'invalid_amount'
  | 'invalid_timeout'
  | 'same_account'
  | 'unknown_account'
  | 'different_ledgers'
  | 'insufficient_balance'
  | 'unknown_pending_transfer'
  | 'already_posted'
  | 'already_voided'
  | 'expired'
  | 'exists_with_different_fields'

/** A recorded transfer as history shows it (accountingTransfers). */
export type TransferRecord = {
  readonly id: string
  readonly debitAccountId: string
  readonly creditAccountId: string
  readonly amount: bigint
  readonly ledger: number
  readonly type: 'single' | 'pending' | 'post' | 'void'
  /** pending transfers: PENDING until posted, voided or expired; others: POSTED or VOIDED. */
  readonly state: 'PENDING' | 'POSTED' | 'VOIDED'
  readonly pendingId: string | null
  readonly expiresAt: Date | null
  readonly createdAt: Date
}

/** Checks a request on its own, before any account is looked at. */
export function checkTransfer(request: TransferRequest): TransferError | undefined {
  if (!isUuid(request.id)) return 'invalid_id'
  if ('pendingId' in request) return isUuid(request.pendingId) ? undefined : 'invalid_id'
  if (!isUuid(request.debitAccountId) || !isUuid(request.creditAccountId)) return 'invalid_id'
  if (request.amount <= 0n || !isUInt64(request.amount)) return 'invalid_amount'
  if (request.debitAccountId === request.creditAccountId) return 'same_account'
  if (request.type === 'pending') {
    const timeout = request.timeoutSeconds
    if (timeout === undefined || !Number.isInteger(timeout) || timeout <= 0)
      return 'invalid_timeout'
  }
  return undefined
}
