import type { Clock } from '../../application/ports/clock.ts'
import type { Ledger, TransferFailure } from '../../application/ports/ledger.ts'
import {
  balanceLimitOf,
  liquidityAccountKinds,
  type AccountBalance,
  type LedgerAccount,
  type LedgerAccountKind,
} from '../../domain/ledger/account.ts'
import {
  checkTransfer,
  type TransferError,
  type TransferRecord,
  type TransferRequest,
} from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'

// The PostgreSQL ledger's limits (TigerBeetle's 8189 events per request), so that a use case
// tested here cannot rely on a call the real adapters refuse.
const transfersPerBatchMax = 8_189
const accountsPerCallMax = 8_189
const accountTransfersLimitMax = 1_000
const ledgerMax = 2 ** 31 - 1
const timeoutSecondsMax = 2 ** 32 - 1

type Account = { readonly ledger: number; readonly kind: LedgerAccountKind } & {
  -readonly [K in keyof AccountBalance]: AccountBalance[K]
}

/** EXPIRED shows as VOIDED in history; it is kept apart because it can still be voided. */
type State = 'PENDING' | 'POSTED' | 'VOIDED' | 'EXPIRED'

type Stored = {
  readonly request: TransferRequest
  readonly record: Omit<TransferRecord, 'state'>
  state: State
}

type Books = {
  readonly clock: Clock
  readonly accounts: Map<string, Account>
  readonly transfers: Map<string, Stored>
  /** Every transfer in the order it was applied. */
  readonly history: Stored[]
  readonly pendingIds: Set<string>
}

type Outcome = 'created' | 'exists' | TransferError
type NewTransfer = TransferRequest & { readonly type: 'single' | 'pending' }
type Resolution = TransferRequest & { readonly type: 'post' | 'void' }
/** Inverse steps of a batch so far, run in reverse when a later transfer is refused. */
type Undo = (() => void)[]

const accountKinds: readonly string[] = ['SETTLEMENT', ...liquidityAccountKinds]

/** In-process Ledger for use-case unit tests: the PostgreSQL ledger's rules, expiry by `clock`. */
export function makeMemoryLedger(clock: Clock): Ledger {
  const books: Books = {
    clock,
    accounts: new Map(),
    transfers: new Map(),
    history: [],
    pendingIds: new Set(),
  }
  // No await in any method: each call runs to completion, so batches never interleave.
  return {
    async createAccounts(list) {
      assert(list.length <= accountsPerCallMax, `memory ledger: at most ${accountsPerCallMax}`)
      list.forEach(assertAccount)
      const seen = new Map<string, LedgerAccount>()
      for (const [index, account] of list.entries()) {
        const known = books.accounts.get(account.id) ?? seen.get(account.id)
        if (known && (known.ledger !== account.ledger || known.kind !== account.kind)) {
          return err({ index, error: 'exists_with_different_fields' as const })
        }
        seen.set(account.id, account)
      }
      for (const { id, ledger, kind } of seen.values()) {
        if (!books.accounts.has(id)) books.accounts.set(id, { ledger, kind, ...zeroBalance() })
      }
      return ok(undefined)
    },

    async transfer(batch) {
      const invalid = firstInvalid(batch)
      if (invalid !== undefined) return err(invalid)
      expireDue(books)
      const undo: Undo = []
      let created = false
      for (const [index, request] of batch.entries()) {
        const outcome = applyOne(books, request, undo)
        if (outcome === 'created') created = true
        else if (outcome !== 'exists') {
          for (const step of undo.reverse()) step()
          return err({ index, error: outcome })
        }
      }
      return ok(created ? 'created' : 'exists')
    },

    async getBalances(ids) {
      expireDue(books)
      const balances = new Map<string, AccountBalance>()
      for (const id of ids) {
        const account = books.accounts.get(id)
        if (account === undefined) continue
        const { debitsPending, debitsPosted, creditsPending, creditsPosted } = account
        balances.set(id, { debitsPending, debitsPosted, creditsPending, creditsPosted })
      }
      return balances
    },

    async getAccountTransfers(accountId, limit) {
      assert(
        Number.isInteger(limit) && limit > 0 && limit <= accountTransfersLimitMax,
        `memory ledger: limit must be 1 to ${accountTransfersLimitMax}`,
      )
      expireDue(books)
      const debits: TransferRecord[] = []
      const credits: TransferRecord[] = []
      for (const stored of [...books.history].reverse()) {
        const state = stored.state === 'EXPIRED' ? 'VOIDED' : stored.state
        const record: TransferRecord = { ...stored.record, state }
        if (record.debitAccountId === accountId && debits.length < limit) debits.push(record)
        if (record.creditAccountId === accountId && credits.length < limit) credits.push(record)
      }
      return { debits, credits }
    },

    async close() {},
  }
}

// Holds are released once their time is up, before anything looks at a balance.
function expireDue(books: Books): void {
  const nowMs = books.clock.now()
  for (const id of books.pendingIds) {
    const stored = books.transfers.get(id)
    assert(stored !== undefined, 'memory ledger: a pending id without its transfer')
    const expiresAt = stored.record.expiresAt
    if (expiresAt === null || expiresAt.getTime() > nowMs) continue
    releaseHold(books, stored, [])
    stored.state = 'EXPIRED'
    books.pendingIds.delete(id)
  }
}

function applyOne(books: Books, request: TransferRequest, undo: Undo): Outcome {
  const existing = books.transfers.get(request.id)
  if (existing !== undefined) {
    return sameFields(existing.request, request) ? 'exists' : 'exists_with_different_fields'
  }
  return 'pendingId' in request
    ? applyResolution(books, request, undo)
    : applyNew(books, request, undo)
}

function applyNew(books: Books, request: NewTransfer, undo: Undo): Outcome {
  const debit = books.accounts.get(request.debitAccountId)
  const credit = books.accounts.get(request.creditAccountId)
  if (debit === undefined || credit === undefined) return 'unknown_account'
  if (debit.ledger !== request.ledger || credit.ledger !== request.ledger) {
    return 'different_ledgers'
  }
  const { amount } = request
  const debitRefused =
    balanceLimitOf(debit.kind) === 'debits_must_not_exceed_credits' &&
    debit.debitsPosted + debit.debitsPending + amount > debit.creditsPosted
  const creditRefused =
    balanceLimitOf(credit.kind) === 'credits_must_not_exceed_debits' &&
    credit.creditsPosted + credit.creditsPending + amount > credit.debitsPosted
  if (debitRefused || creditRefused) return 'insufficient_balance'
  const pending = request.type === 'pending'
  change(debit, pending ? 'debitsPending' : 'debitsPosted', amount, undo)
  change(credit, pending ? 'creditsPending' : 'creditsPosted', amount, undo)
  const createdAt = new Date(books.clock.now())
  const timeoutMs = (request.timeoutSeconds ?? 0) * 1000
  const record = {
    id: request.id,
    debitAccountId: request.debitAccountId,
    creditAccountId: request.creditAccountId,
    amount,
    ledger: request.ledger,
    type: request.type,
    pendingId: null,
    expiresAt: pending ? new Date(createdAt.getTime() + timeoutMs) : null,
    createdAt,
  }
  insert(books, { request, record, state: pending ? 'PENDING' : 'POSTED' }, undo)
  return 'created'
}

function applyResolution(books: Books, request: Resolution, undo: Undo): Outcome {
  const pending = books.transfers.get(request.pendingId)
  if (pending === undefined || pending.record.type !== 'pending') return 'unknown_pending_transfer'
  if (pending.state === 'POSTED') return 'already_posted'
  if (pending.state === 'VOIDED') return 'already_voided'
  const post = request.type === 'post'
  // expireDue() ran first, so a transfer still PENDING here holds its amount.
  if (pending.state === 'EXPIRED' && post) return 'expired'
  const { debitAccountId, creditAccountId, amount } = pending.record
  if (post) {
    change(accountOf(books, debitAccountId), 'debitsPending', -amount, undo)
    change(accountOf(books, debitAccountId), 'debitsPosted', amount, undo)
    change(accountOf(books, creditAccountId), 'creditsPending', -amount, undo)
    change(accountOf(books, creditAccountId), 'creditsPosted', amount, undo)
  } else if (pending.state === 'PENDING') {
    releaseHold(books, pending, undo)
  }
  setState(books, pending, post ? 'POSTED' : 'VOIDED', undo)
  const record = {
    ...pending.record,
    id: request.id,
    type: request.type,
    pendingId: pending.record.id,
    expiresAt: null,
    createdAt: new Date(books.clock.now()),
  }
  insert(books, { request, record, state: post ? 'POSTED' : 'VOIDED' }, undo)
  return 'created'
}

function change(account: Account, field: keyof AccountBalance, delta: bigint, undo: Undo): void {
  account[field] += delta
  undo.push(() => (account[field] -= delta))
}

function releaseHold(books: Books, stored: Stored, undo: Undo): void {
  const { debitAccountId, creditAccountId, amount } = stored.record
  change(accountOf(books, debitAccountId), 'debitsPending', -amount, undo)
  change(accountOf(books, creditAccountId), 'creditsPending', -amount, undo)
}

function setState(books: Books, stored: Stored, state: State, undo: Undo): void {
  const before = stored.state
  const wasPending = books.pendingIds.delete(stored.record.id)
  stored.state = state
  undo.push(() => {
    stored.state = before
    if (wasPending) books.pendingIds.add(stored.record.id)
  })
}

function insert(books: Books, stored: Stored, undo: Undo): void {
  books.transfers.set(stored.record.id, stored)
  books.history.push(stored)
  if (stored.state === 'PENDING') books.pendingIds.add(stored.record.id)
  // Undo runs in reverse order, so this transfer is the last one in history again.
  undo.push(() => {
    books.transfers.delete(stored.record.id)
    books.history.pop()
    books.pendingIds.delete(stored.record.id)
  })
}

function accountOf(books: Books, id: string): Account {
  const account = books.accounts.get(id)
  assert(account !== undefined, `memory ledger: a transfer names a missing account ${id}`)
  return account
}

const zeroBalance = () => ({
  debitsPending: 0n,
  debitsPosted: 0n,
  creditsPending: 0n,
  creditsPosted: 0n,
})

function sameFields(a: TransferRequest, b: TransferRequest): boolean {
  if (a.type !== b.type) return false
  if ('pendingId' in a || 'pendingId' in b) {
    return 'pendingId' in a && 'pendingId' in b && a.pendingId === b.pendingId
  }
  return (
    a.debitAccountId === b.debitAccountId &&
    a.creditAccountId === b.creditAccountId &&
    a.amount === b.amount &&
    a.ledger === b.ledger &&
    (a.type !== 'pending' || a.timeoutSeconds === b.timeoutSeconds)
  )
}

function firstInvalid(batch: readonly TransferRequest[]): TransferFailure | undefined {
  assert(
    batch.length > 0 && batch.length <= transfersPerBatchMax,
    `memory ledger: a batch holds 1 to ${transfersPerBatchMax} transfers`,
  )
  for (const [index, request] of batch.entries()) {
    const error = checkTransfer(request)
    if (error !== undefined) return { index, error }
    if ('pendingId' in request) continue
    assert(validLedger(request.ledger), `memory ledger: ledger ${request.ledger} out of range`)
    if (request.type === 'pending') {
      assert((request.timeoutSeconds ?? 0) <= timeoutSecondsMax, 'memory ledger: timeout > u32')
    }
  }
  return undefined
}

const validLedger = (ledger: number): boolean =>
  Number.isInteger(ledger) && ledger > 0 && ledger <= ledgerMax

function assertAccount(account: LedgerAccount): void {
  assert(isUuid(account.id), `memory ledger: account id ${account.id} is not a UUID`)
  assert(validLedger(account.ledger), `memory ledger: ledger ${account.ledger} out of range`)
  assert(accountKinds.includes(account.kind), `memory ledger: unknown kind ${account.kind}`)
}
