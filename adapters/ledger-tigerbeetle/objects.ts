// Our accounts and transfers as TigerBeetle objects, and TigerBeetle's back as ours.
import { amount_max, TransferFlags } from 'tigerbeetle-node'
import type { Account, Transfer } from 'tigerbeetle-node'
import type { AccountBalance, LedgerAccount } from '../../domain/ledger/account.ts'
import type {
  TransferError,
  TransferRecord,
  TransferRequest,
} from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import {
  accountCodeOf,
  accountFlagsOf,
  expiredVoidCode,
  transferCode,
  transferFlagsOf,
  transferTypeOfFlags,
} from './codes.ts'
import { isReservedU128, u128ToUuid, uuidToU128 } from './ids.ts'

const u32Max = 2 ** 32 - 1
const nsPerMs = 1_000_000n
const nsPerSecond = 1_000_000_000n

const isLedgerNumber = (ledger: number): boolean =>
  Number.isInteger(ledger) && ledger >= 0 && ledger <= u32Max

export function toTigerbeetleAccount(account: LedgerAccount): Account {
  const id = uuidToU128(account.id)
  assert(!isReservedU128(id), `TigerBeetle reserves the account id ${account.id}`)
  assert(isLedgerNumber(account.ledger) && account.ledger > 0, `bad ledger ${account.ledger}`)
  return {
    id,
    debits_pending: 0n,
    debits_posted: 0n,
    credits_pending: 0n,
    credits_posted: 0n,
    user_data_128: 0n,
    user_data_64: 0n,
    user_data_32: 0,
    reserved: 0,
    ledger: account.ledger,
    code: accountCodeOf[account.kind],
    flags: accountFlagsOf(account.kind),
    timestamp: 0n,
  }
}

export const toAccountBalance = (account: Account): AccountBalance => ({
  debitsPending: account.debits_pending,
  debitsPosted: account.debits_posted,
  creditsPending: account.credits_pending,
  creditsPosted: account.credits_posted,
})

/**
 * What TigerBeetle would refuse in a request that checkTransfer (domain) accepts: its reserved
 * ids (the nil and max UUIDs) and timeouts beyond its u32 field. Run after checkTransfer.
 */
export function checkForTigerbeetle(request: TransferRequest): TransferError | undefined {
  const ids =
    'pendingId' in request
      ? [request.id, request.pendingId]
      : [request.id, request.debitAccountId, request.creditAccountId]
  if (ids.some((id) => isReservedU128(uuidToU128(id)))) return 'invalid_id'
  // A hold's expired-void marker takes an id derived from the hold's, which must be usable too.
  if (request.type === 'pending' && isReservedU128(expiredVoidIdOf(uuidToU128(request.id)))) {
    return 'invalid_id'
  }
  if (request.type === 'pending' && (request.timeoutSeconds ?? 0) > u32Max) return 'invalid_timeout'
  return undefined
}

const emptyTransfer = {
  user_data_128: 0n,
  user_data_64: 0n,
  user_data_32: 0,
  timestamp: 0n,
} as const

/** An unlinked event; the caller links its chain. Expects a request that passed both checks. */
export function toTigerbeetleTransfer(request: TransferRequest): Transfer {
  if ('pendingId' in request) {
    // Accounts, ledger and code 0 mean "those of the pending transfer". A post of amount_max
    // moves the whole hold (0.16+: an amount of 0 would post nothing); a void of 0 releases it.
    return {
      ...emptyTransfer,
      id: uuidToU128(request.id),
      debit_account_id: 0n,
      credit_account_id: 0n,
      amount: request.type === 'post' ? amount_max : 0n,
      pending_id: uuidToU128(request.pendingId),
      timeout: 0,
      ledger: 0,
      code: 0,
      flags: transferFlagsOf[request.type],
    }
  }
  assert(isLedgerNumber(request.ledger), `bad ledger ${request.ledger}`)
  const timeout = request.type === 'pending' ? request.timeoutSeconds : 0
  assert(timeout !== undefined, 'a pending transfer without a timeout passed checkTransfer')
  return {
    ...emptyTransfer,
    id: uuidToU128(request.id),
    debit_account_id: uuidToU128(request.debitAccountId),
    credit_account_id: uuidToU128(request.creditAccountId),
    amount: request.amount,
    pending_id: 0n,
    timeout,
    ledger: request.ledger,
    code: transferCode,
    flags: transferFlagsOf[request.type],
  }
}

/** Sets `linked` on every event but the last, so the chain is applied whole or not at all. */
export const linkChain = (events: readonly Transfer[]): Transfer[] =>
  events.map((event, index) => ({
    ...event,
    flags:
      index < events.length - 1
        ? event.flags | TransferFlags.linked
        : event.flags & ~TransferFlags.linked,
  }))

const dateOfNs = (ns: bigint): Date => new Date(Number(ns / nsPerMs))

// Flips bits of the UUID version digit (4 -> d, 8 -> 1): the marker of a hold never takes an id
// of ours, and each hold has exactly one, so two voids of one expired hold cannot both succeed.
const expiredVoidMask = 0x9n << 76n

/** The id of the expired-void marker of the hold `pendingId`, and the hold of a marker id. */
export const expiredVoidIdOf = (pendingId: bigint): bigint => pendingId ^ expiredVoidMask

export const isExpiredVoidMarker = (transfer: Transfer): boolean =>
  transfer.code === expiredVoidCode

/** Records `voidEvent` on its expired hold `held`: no money moves, the hold is marked voided. */
export function toExpiredVoidMarker(voidEvent: Transfer, held: Transfer): Transfer {
  return {
    ...emptyTransfer,
    id: expiredVoidIdOf(held.id),
    debit_account_id: held.debit_account_id,
    credit_account_id: held.credit_account_id,
    amount: 0n,
    pending_id: 0n,
    user_data_128: voidEvent.id,
    timeout: 0,
    ledger: held.ledger,
    code: expiredVoidCode,
    flags: TransferFlags.none,
  }
}

/** What a page of history needs to show each transfer as a record. */
export type RecordView = {
  /** How each hold was settled, by pending id (see settlementsOf). */
  readonly settled: ReadonlyMap<bigint, 'POSTED' | 'VOIDED'>
  /** Amounts of the holds that expired-void markers void, by pending id. */
  readonly heldAmounts: ReadonlyMap<bigint, bigint>
  readonly nowMs: number
}

export function toTransferRecord(transfer: Transfer, view: RecordView): TransferRecord {
  const common = {
    debitAccountId: u128ToUuid(transfer.debit_account_id),
    creditAccountId: u128ToUuid(transfer.credit_account_id),
    ledger: transfer.ledger,
    createdAt: dateOfNs(transfer.timestamp),
  }
  if (isExpiredVoidMarker(transfer)) {
    const pendingId = expiredVoidIdOf(transfer.id)
    return {
      ...common,
      id: u128ToUuid(transfer.user_data_128),
      amount: view.heldAmounts.get(pendingId) ?? 0n,
      type: 'void',
      state: 'VOIDED',
      pendingId: u128ToUuid(pendingId),
      expiresAt: null,
    }
  }
  const type = transferTypeOfFlags(transfer.flags)
  const expiresAt =
    type === 'pending' && transfer.timeout > 0
      ? dateOfNs(transfer.timestamp + BigInt(transfer.timeout) * nsPerSecond)
      : null
  return {
    ...common,
    id: u128ToUuid(transfer.id),
    amount: transfer.amount,
    type,
    state: stateOf(type, view.settled.get(transfer.id), expiresAt, view.nowMs),
    pendingId: type === 'post' || type === 'void' ? u128ToUuid(transfer.pending_id) : null,
    expiresAt,
  }
}

/**
 * TigerBeetle never rewrites a pending transfer, so its state comes from the posts and voids in
 * the same page. That is exact: a page holds the newest transfers on one side of an account, and
 * a settlement is newer than its hold and moves the same accounts. A hold that expired unsettled
 * reads VOIDED, as TigerBeetle treats it (by our clock: within a clock skew of the deadline the
 * two may disagree).
 */
function stateOf(
  type: TransferRecord['type'],
  settlement: 'POSTED' | 'VOIDED' | undefined,
  expiresAt: Date | null,
  nowMs: number,
): TransferRecord['state'] {
  if (type === 'void') return 'VOIDED'
  if (type !== 'pending') return 'POSTED'
  if (settlement !== undefined) return settlement
  return expiresAt !== null && expiresAt.getTime() <= nowMs ? 'VOIDED' : 'PENDING'
}

/** The settlement each post, void or expired-void marker records, keyed by the pending id. */
export function settlementsOf(
  transfers: readonly Transfer[],
): ReadonlyMap<bigint, 'POSTED' | 'VOIDED'> {
  const settled = new Map<bigint, 'POSTED' | 'VOIDED'>()
  for (const transfer of transfers) {
    if (isExpiredVoidMarker(transfer)) {
      settled.set(expiredVoidIdOf(transfer.id), 'VOIDED')
      continue
    }
    const type = transferTypeOfFlags(transfer.flags)
    if (type === 'post') settled.set(transfer.pending_id, 'POSTED')
    if (type === 'void') settled.set(transfer.pending_id, 'VOIDED')
  }
  return settled
}

/**
 * Whether a stored transfer is the event we would send, as TigerBeetle's exists check sees it
 * but for `linked`: that flag records where the transfer stood in the batch that created it, so
 * the same transfer retried in another batch, or at another place, would otherwise differ.
 * `pendingOfStored` is the transfer a stored post or void settled.
 */
export function sameTransfer(
  event: Transfer,
  stored: Transfer,
  pendingOfStored: Transfer | undefined,
): boolean {
  const unlinked = (flags: number) => flags & ~TransferFlags.linked
  const sameCommon =
    stored.id === event.id &&
    unlinked(stored.flags) === unlinked(event.flags) &&
    stored.pending_id === event.pending_id &&
    stored.user_data_128 === event.user_data_128 &&
    stored.user_data_64 === event.user_data_64 &&
    stored.user_data_32 === event.user_data_32 &&
    stored.timeout === event.timeout
  if (!sameCommon) return false
  if (event.pending_id === 0n) {
    return (
      stored.debit_account_id === event.debit_account_id &&
      stored.credit_account_id === event.credit_account_id &&
      stored.amount === event.amount &&
      stored.ledger === event.ledger &&
      stored.code === event.code
    )
  }
  // Our posts and voids name only the pending transfer and settle all of it.
  assert(pendingOfStored !== undefined, 'a stored settlement without its pending transfer')
  return stored.amount === pendingOfStored.amount
}
