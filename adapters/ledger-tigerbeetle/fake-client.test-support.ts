// An in-process stand-in for a TigerBeetle cluster, for tests that have no server: the subset of
// create_accounts / create_transfers semantics this adapter relies on (linked chains that roll
// back, per-event statuses, exists checks, balance limits, two-phase transfers with timeouts,
// ids burnt by transient failures), plus hooks to script replies and to hang requests.
import {
  AccountFilterFlags,
  AccountFlags,
  amount_max,
  CreateAccountStatus,
  CreateTransferStatus,
  TransferFlags,
} from 'tigerbeetle-node'
import type {
  Account,
  AccountFilter,
  Client,
  CreateAccountResult,
  CreateTransferResult,
  Transfer,
} from 'tigerbeetle-node'
import { u128Max } from './ids.ts'

type PendingState = 'pending' | 'posted' | 'voided' | 'expired'
type State = {
  readonly accounts: Map<bigint, Account>
  readonly transfers: Map<bigint, Transfer>
  readonly pending: Map<bigint, PendingState>
}

export type FakeTigerbeetle = Client & {
  /** Every create_transfers request, as sent. */
  readonly transferRequests: Transfer[][]
  /** The next create_transfers request gets these statuses and changes nothing. */
  scriptTransfers(statuses: readonly CreateTransferStatus[]): void
  /** From now on, requests never settle (a cluster that does not answer). */
  hang(): void
  /** Moves the cluster clock, expiring holds as TigerBeetle does. */
  advance(ms: number): void
  readonly destroyed: () => boolean
}

const S = CreateTransferStatus
const transient: ReadonlySet<CreateTransferStatus> = new Set([
  S.debit_account_not_found,
  S.credit_account_not_found,
  S.pending_transfer_not_found,
  S.exceeds_credits,
  S.exceeds_debits,
])

// The cluster's whole mutable state; a broken chain puts `state` back as it was.
type Cluster = { state: State; nowNs: bigint; readonly failedIds: Set<bigint> }

/** `startMs` sets the cluster clock, so a test's fake Clock can agree with it. */
export function makeFakeTigerbeetle(startMs: number = Date.now()): FakeTigerbeetle {
  const cluster: Cluster = {
    state: { accounts: new Map(), transfers: new Map(), pending: new Map() },
    nowNs: BigInt(startMs) * 1_000_000n,
    failedIds: new Set(),
  }
  const transferRequests: Transfer[][] = []
  const scripts: (readonly CreateTransferStatus[])[] = []
  let hanging = false
  let destroyed = false
  const answer = <T>(reply: () => T): Promise<T> => {
    if (destroyed) return Promise.reject(new Error('Client was closed.'))
    if (hanging) return new Promise<T>(() => {})
    return Promise.resolve().then(reply)
  }
  const copies = <T>(found: (T | undefined)[]): T[] =>
    found.flatMap((item) => (item === undefined ? [] : [{ ...item }]))

  return {
    transferRequests,
    scriptTransfers: (statuses) => void scripts.push(statuses),
    hang: () => void (hanging = true),
    advance: (ms) => void (cluster.nowNs += BigInt(ms) * 1_000_000n),
    destroyed: () => destroyed,
    createAccounts: (batch) =>
      answer(() => batch.map((account) => createAccount(cluster.state, account, tick(cluster)))),
    createTransfers: (batch) =>
      answer(() => {
        transferRequests.push(batch.map((event) => ({ ...event })))
        const script = scripts.shift()
        if (script === undefined) return createTransferBatch(cluster, batch)
        return script.map((status) => ({ status, timestamp: tick(cluster) }))
      }),
    lookupAccounts: (ids) =>
      answer(() => {
        expire(cluster)
        return copies(ids.map((id) => cluster.state.accounts.get(id)))
      }),
    lookupTransfers: (ids) =>
      answer(() => copies(ids.map((id) => cluster.state.transfers.get(id)))),
    getAccountTransfers: (filter) => answer(() => accountTransfers(cluster.state, filter)),
    getAccountBalances: () => Promise.reject(new Error('getAccountBalances is not faked')),
    queryAccounts: () => Promise.reject(new Error('queryAccounts is not faked')),
    queryTransfers: () => Promise.reject(new Error('queryTransfers is not faked')),
    destroy: () => void (destroyed = true),
  }
}

const tick = (cluster: Cluster): bigint => (cluster.nowNs += 1n)

// TigerBeetle releases expired holds in the background; here, before each request.
function expire(cluster: Cluster): void {
  const { state } = cluster
  for (const [id, status] of state.pending) {
    const transfer = state.transfers.get(id)
    if (status !== 'pending' || transfer === undefined) continue
    if (!isExpired(transfer, cluster.nowNs)) continue
    state.pending.set(id, 'expired')
    release(state, transfer)
  }
}

function createTransferBatch(cluster: Cluster, events: Transfer[]): CreateTransferResult[] {
  expire(cluster)
  const results: CreateTransferResult[] = []
  let chainStart: number | undefined
  let saved: State | undefined
  let broken = false
  events.forEach((event, index) => {
    const linked = (event.flags & TransferFlags.linked) !== 0
    if (linked && chainStart === undefined) {
      chainStart = index
      saved = copy(cluster.state)
    }
    let status: CreateTransferStatus
    if (linked && index === events.length - 1) status = S.linked_event_chain_open
    else if (broken) status = S.linked_event_failed
    else status = createTransfer(cluster.state, cluster.failedIds, event, tick(cluster))
    if (status !== S.created && chainStart !== undefined && !broken) {
      broken = true
      cluster.state = saved ?? cluster.state
      for (let earlier = chainStart; earlier < index; earlier += 1) {
        results[earlier] = { status: S.linked_event_failed, timestamp: tick(cluster) }
      }
    }
    results.push({ status, timestamp: tick(cluster) })
    if (!linked || status === S.linked_event_chain_open) {
      chainStart = undefined
      broken = false
    }
  })
  return results
}

const copy = (state: State): State => ({
  accounts: new Map([...state.accounts].map(([id, account]) => [id, { ...account }])),
  transfers: new Map(state.transfers),
  pending: new Map(state.pending),
})

const isExpired = (transfer: Transfer, nowNs: bigint): boolean =>
  transfer.timeout > 0 && transfer.timestamp + BigInt(transfer.timeout) * 1_000_000_000n <= nowNs

function release(state: State, pending: Transfer): void {
  const debit = state.accounts.get(pending.debit_account_id)
  const credit = state.accounts.get(pending.credit_account_id)
  if (debit === undefined || credit === undefined) throw new Error('fake: a hold without accounts')
  debit.debits_pending -= pending.amount
  credit.credits_pending -= pending.amount
}

function createAccount(state: State, account: Account, timestamp: bigint): CreateAccountResult {
  const A = CreateAccountStatus
  const limits =
    AccountFlags.debits_must_not_exceed_credits | AccountFlags.credits_must_not_exceed_debits
  let status: CreateAccountStatus = A.created
  const existing = state.accounts.get(account.id)
  if ((account.flags & AccountFlags.linked) !== 0) throw new Error('fake: linked accounts')
  else if (account.id === 0n) status = A.id_must_not_be_zero
  else if (account.id === u128Max) status = A.id_must_not_be_int_max
  else if ((account.flags & limits) === limits) status = A.flags_are_mutually_exclusive
  else if (account.ledger === 0) status = A.ledger_must_not_be_zero
  else if (account.code === 0) status = A.code_must_not_be_zero
  else if (existing !== undefined) {
    if (existing.flags !== account.flags) status = A.exists_with_different_flags
    else if (existing.ledger !== account.ledger) status = A.exists_with_different_ledger
    else if (existing.code !== account.code) status = A.exists_with_different_code
    else status = A.exists
  } else state.accounts.set(account.id, { ...account, timestamp })
  return { status, timestamp }
}

function createTransfer(
  state: State,
  failedIds: Set<bigint>,
  event: Transfer,
  timestamp: bigint,
): CreateTransferStatus {
  const status = validateTransfer(state, failedIds, event)
  if (status === S.created) applyTransfer(state, event, timestamp)
  if (transient.has(status)) failedIds.add(event.id)
  return status
}

function validateTransfer(state: State, failedIds: Set<bigint>, t: Transfer): CreateTransferStatus {
  if (t.timestamp !== 0n) return S.timestamp_must_be_zero
  if (t.id === 0n) return S.id_must_not_be_zero
  if (t.id === u128Max) return S.id_must_not_be_int_max
  const settles =
    (t.flags & (TransferFlags.post_pending_transfer | TransferFlags.void_pending_transfer)) !== 0
  const existing = state.transfers.get(t.id)
  if (settles) return validateSettlement(state, t, existing)
  if (t.pending_id !== 0n) return S.pending_id_must_be_zero
  if (t.debit_account_id === 0n) return S.debit_account_id_must_not_be_zero
  if (t.credit_account_id === 0n) return S.credit_account_id_must_not_be_zero
  if (t.debit_account_id === t.credit_account_id) return S.accounts_must_be_different
  if ((t.flags & TransferFlags.pending) === 0 && t.timeout !== 0) {
    return S.timeout_reserved_for_pending_transfer
  }
  if (t.ledger === 0) return S.ledger_must_not_be_zero
  if (t.code === 0) return S.code_must_not_be_zero
  if (existing !== undefined) return existsStatus(t, existing)
  if (failedIds.has(t.id)) return S.id_already_failed
  const debit = state.accounts.get(t.debit_account_id)
  const credit = state.accounts.get(t.credit_account_id)
  if (debit === undefined) return S.debit_account_not_found
  if (credit === undefined) return S.credit_account_not_found
  if (debit.ledger !== credit.ledger) return S.accounts_must_have_the_same_ledger
  if (t.ledger !== debit.ledger) return S.transfer_must_have_the_same_ledger_as_accounts
  const debitLimit = (debit.flags & AccountFlags.debits_must_not_exceed_credits) !== 0
  if (debitLimit && debit.debits_pending + debit.debits_posted + t.amount > debit.credits_posted) {
    return S.exceeds_credits
  }
  const creditLimit = (credit.flags & AccountFlags.credits_must_not_exceed_debits) !== 0
  if (
    creditLimit &&
    credit.credits_pending + credit.credits_posted + t.amount > credit.debits_posted
  ) {
    return S.exceeds_debits
  }
  return S.created
}

function existsStatus(t: Transfer, e: Transfer): CreateTransferStatus {
  if (t.flags !== e.flags) return S.exists_with_different_flags
  if (t.debit_account_id !== e.debit_account_id) return S.exists_with_different_debit_account_id
  if (t.credit_account_id !== e.credit_account_id) return S.exists_with_different_credit_account_id
  if (t.amount !== e.amount) return S.exists_with_different_amount
  if (t.user_data_128 !== e.user_data_128) return S.exists_with_different_user_data_128
  if (t.user_data_64 !== e.user_data_64) return S.exists_with_different_user_data_64
  if (t.user_data_32 !== e.user_data_32) return S.exists_with_different_user_data_32
  if (t.timeout !== e.timeout) return S.exists_with_different_timeout
  if (t.ledger !== e.ledger) return S.exists_with_different_ledger
  if (t.code !== e.code) return S.exists_with_different_code
  return S.exists
}

function validateSettlement(
  state: State,
  t: Transfer,
  existing: Transfer | undefined,
): CreateTransferStatus {
  const post = (t.flags & TransferFlags.post_pending_transfer) !== 0
  if (t.pending_id === 0n) return S.pending_id_must_not_be_zero
  if (t.pending_id === t.id) return S.pending_id_must_be_different
  if (t.timeout !== 0) return S.timeout_reserved_for_pending_transfer
  if (existing !== undefined) {
    if (t.flags !== existing.flags) return S.exists_with_different_flags
    if (t.pending_id !== existing.pending_id) return S.exists_with_different_pending_id
    const pending = state.transfers.get(t.pending_id)
    const whole = post ? t.amount === amount_max : t.amount === 0n
    if (!whole && t.amount !== existing.amount) return S.exists_with_different_amount
    if (whole && existing.amount !== pending?.amount) return S.exists_with_different_amount
    return S.exists
  }
  const pending = state.transfers.get(t.pending_id)
  if (pending === undefined) return S.pending_transfer_not_found
  if ((pending.flags & TransferFlags.pending) === 0) return S.pending_transfer_not_pending
  if (t.ledger !== 0 && t.ledger !== pending.ledger) return S.pending_transfer_has_different_ledger
  if (t.code !== 0 && t.code !== pending.code) return S.pending_transfer_has_different_code
  const amount = post ? (t.amount === amount_max ? pending.amount : t.amount) : pending.amount
  if (amount > pending.amount) return S.exceeds_pending_transfer_amount
  if (!post && t.amount !== 0n && t.amount !== pending.amount) {
    return S.pending_transfer_has_different_amount
  }
  const status = state.pending.get(pending.id)
  if (status === 'posted') return S.pending_transfer_already_posted
  if (status === 'voided') return S.pending_transfer_already_voided
  if (status === 'expired') return S.pending_transfer_expired
  return S.created
}

function applyTransfer(state: State, t: Transfer, timestamp: bigint): void {
  const post = (t.flags & TransferFlags.post_pending_transfer) !== 0
  const settles = post || (t.flags & TransferFlags.void_pending_transfer) !== 0
  const pending = settles ? state.transfers.get(t.pending_id) : undefined
  const source = pending ?? t
  const amount =
    pending === undefined ? t.amount : post && t.amount !== amount_max ? t.amount : pending.amount
  const debit = state.accounts.get(source.debit_account_id)
  const credit = state.accounts.get(source.credit_account_id)
  if (debit === undefined || credit === undefined) throw new Error('fake: accounts vanished')
  // Stored as TigerBeetle stores it: flags as sent (linked included), and a settlement with its
  // pending transfer's accounts, ledger, code and the amount it moved.
  state.transfers.set(t.id, {
    ...t,
    debit_account_id: source.debit_account_id,
    credit_account_id: source.credit_account_id,
    ledger: source.ledger,
    code: source.code,
    amount,
    timestamp,
  })
  if (pending !== undefined) {
    release(state, pending)
    state.pending.set(pending.id, post ? 'posted' : 'voided')
  }
  if ((t.flags & TransferFlags.pending) !== 0) {
    state.pending.set(t.id, 'pending')
    debit.debits_pending += amount
    credit.credits_pending += amount
  } else if (pending === undefined || post) {
    debit.debits_posted += amount
    credit.credits_posted += amount
  }
}

function accountTransfers(state: State, filter: AccountFilter): Transfer[] {
  const debits = (filter.flags & AccountFilterFlags.debits) !== 0
  const credits = (filter.flags & AccountFilterFlags.credits) !== 0
  const matching = [...state.transfers.values()]
    .filter(
      (t) =>
        (debits && t.debit_account_id === filter.account_id) ||
        (credits && t.credit_account_id === filter.account_id),
    )
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))
  if ((filter.flags & AccountFilterFlags.reversed) !== 0) matching.reverse()
  return matching.slice(0, filter.limit).map((t) => ({ ...t }))
}
