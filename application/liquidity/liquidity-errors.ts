import type { TransferError } from '../../domain/ledger/transfer.ts'

/** What an operator's liquidity request can fail with (the admin API's LiquidityError). */
export type LiquidityError =
  | 'unknown_asset'
  | 'invalid_id'
  | 'invalid_amount'
  | 'invalid_timeout'
  | 'insufficient_balance'
  | 'transfer_exists'
  | 'unknown_transfer'
  | 'already_posted'
  | 'already_voided'
  | 'transfer_expired'

/**
 * Ledger errors as an operator sees them. Account-level errors cannot arise from requests we
 * build ourselves (our own accounts, one ledger), so they are bugs, not answers.
 */
export const liquidityErrorOf = {
  invalid_id: 'invalid_id',
  invalid_amount: 'invalid_amount',
  invalid_timeout: 'invalid_timeout',
  insufficient_balance: 'insufficient_balance',
  exists_with_different_fields: 'transfer_exists',
  unknown_pending_transfer: 'unknown_transfer',
  already_posted: 'already_posted',
  already_voided: 'already_voided',
  expired: 'transfer_expired',
  same_account: undefined,
  unknown_account: undefined,
  different_ledgers: undefined,
} as const satisfies Record<TransferError, LiquidityError | undefined>
