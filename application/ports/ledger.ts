import type { AccountBalance, LedgerAccount } from '../../domain/ledger/account.ts'
import type {
  TransferError,
  TransferRecord,
  TransferRequest,
} from '../../domain/ledger/transfer.ts'
import type { Result } from '../../domain/shared/result.ts'

/**
 * `deferred`: the transfer is applied and visible at once, but its durability may wait for the
 * next `immediate` transfer to commit; a crash before that may lose it. Only for transfers whose
 * loss is harmless: a pending hold nobody has acted on yet (losing it releases it) or a void
 * (the hold expires anyway). Ledgers that are always durable ignore it.
 */
export type TransferOptions = { readonly durability?: 'immediate' | 'deferred' }

/** Why a batch failed: the first failing transfer's position and reason. Nothing was applied. */
export type TransferFailure = { readonly index: number; readonly error: TransferError }

/**
 * Double-entry liquidity accounting, implemented over PostgreSQL and TigerBeetle. Every method
 * is safe under any concurrency: no account with a limit is ever overdrawn, and money is neither
 * created nor destroyed.
 */
export interface Ledger {
  /**
   * Creates accounts; an account that exists with the same ledger and kind is left as it is
   * (`exists`), one with other fields is an error.
   */
  createAccounts(
    accounts: readonly LedgerAccount[],
  ): Promise<
    Result<void, { readonly index: number; readonly error: 'exists_with_different_fields' }>
  >

  /**
   * Applies a linked batch: all of its transfers or none. `exists` when every transfer of the
   * batch was already applied with the same fields (a retry; nothing happens again).
   */
  transfer(
    batch: readonly TransferRequest[],
    options?: TransferOptions,
  ): Promise<Result<'created' | 'exists', TransferFailure>>

  /** Balances of the accounts that exist, keyed by id; expired holds no longer count. */
  getBalances(accountIds: readonly string[]): Promise<ReadonlyMap<string, AccountBalance>>

  /** The most recent transfers debiting and crediting an account, newest first. */
  getAccountTransfers(
    accountId: string,
    limit: number,
  ): Promise<{
    readonly debits: readonly TransferRecord[]
    readonly credits: readonly TransferRecord[]
  }>

  /** Stops background work (sweepers, batchers) after flushing what was submitted. */
  close(): Promise<void>
}
