// How our accounts and transfers are spelled in TigerBeetle. The numbers are stored in the
// cluster, so they never change: a new kind gets a new code.
import { AccountFlags, TransferFlags } from 'tigerbeetle-node'
import {
  balanceLimitOf,
  type BalanceLimit,
  type LedgerAccountKind,
} from '../../domain/ledger/account.ts'
import type { TransferRecord, TransferRequest } from '../../domain/ledger/transfer.ts'

export const accountCodeOf = {
  SETTLEMENT: 1,
  ASSET: 2,
  PEER: 3,
  INCOMING: 4,
  OUTGOING: 5,
  WEB_MONETIZATION: 6,
} as const satisfies Record<LedgerAccountKind, number>

const kindOfCode: ReadonlyMap<number, LedgerAccountKind> = new Map(
  Object.entries(accountCodeOf).map(([kind, code]) => [code, kind as LedgerAccountKind]),
)

/** undefined for a code we never write (an account some other program created). */
export const accountKindOfCode = (code: number): LedgerAccountKind | undefined =>
  kindOfCode.get(code)

const accountFlagOfLimit = {
  debits_must_not_exceed_credits: AccountFlags.debits_must_not_exceed_credits,
  credits_must_not_exceed_debits: AccountFlags.credits_must_not_exceed_debits,
} as const satisfies Record<BalanceLimit, AccountFlags>

export const accountFlagsOf = (kind: LedgerAccountKind): number =>
  accountFlagOfLimit[balanceLimitOf(kind)]

/** TigerBeetle requires a nonzero code; the flags tell the transfer types apart. */
export const transferCode = 1

/**
 * A zero-amount record of a void that came after its hold expired. TigerBeetle refuses such a
 * void (pending_transfer_expired), but our port lets an expired hold be voided, once.
 */
export const expiredVoidCode = 2

export const transferFlagsOf = {
  single: TransferFlags.none,
  pending: TransferFlags.pending,
  post: TransferFlags.post_pending_transfer,
  void: TransferFlags.void_pending_transfer,
} as const satisfies Record<TransferRequest['type'], TransferFlags>

export function transferTypeOfFlags(flags: number): TransferRecord['type'] {
  if ((flags & TransferFlags.pending) !== 0) return 'pending'
  if ((flags & TransferFlags.post_pending_transfer) !== 0) return 'post'
  if ((flags & TransferFlags.void_pending_transfer) !== 0) return 'void'
  return 'single'
}
