// A seeded random workload for the Ledger contract: many concurrent callers send a mix of single,
// pending, post, void, linked cross-ledger, retried, duplicated and refused transfers. A model
// built from the outcomes the ledger reported must match its final balances exactly, and no
// snapshot taken meanwhile may show a ledger off zero or an account beyond its limit.
import type { Ledger } from '../../application/ports/ledger.ts'
import {
  liquidityAccountKinds,
  postedBalance,
  type AccountBalance,
  type LedgerAccountKind,
} from '../../domain/ledger/account.ts'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { TransferFailure } from '../../application/ports/ledger.ts'

export type WorkloadOptions = {
  readonly seed: number
  /** Ledger numbers no one else uses. */
  readonly ledgers: readonly number[]
  /** transfer() calls in all. Default 10,000. */
  readonly requests?: number
  /** Concurrent callers. Default 32. */
  readonly callers?: number
}

export type WorkloadReport = {
  readonly requests: number
  readonly created: number
  readonly existing: number
  readonly refused: number
  /** Outcomes that contradict the rules, and balances that differ from the model. */
  readonly mismatches: readonly string[]
  /** Limits and zero sums broken in a snapshot taken during or after the run. */
  readonly violations: readonly string[]
  /** Per ledger, the sum of credits_posted - debits_posted over all its accounts. */
  readonly ledgerSums: readonly bigint[]
}

type Book = { readonly number: number; readonly accounts: readonly Account[] }
type Account = { readonly id: string; readonly kind: LedgerAccountKind }
type Outcome = Result<'created' | 'exists', TransferFailure>
type Balance = { -readonly [K in keyof AccountBalance]: bigint }
type NewTransfer = Extract<TransferRequest, { readonly debitAccountId: string }>
type Past = { readonly batch: readonly TransferRequest[]; readonly created: boolean }

const fundingEach = 1_000n
const liquidityPerLedger = 6
const amountMax = 250
const longTimeoutSeconds = 3_600

/** Sum over accounts of credits_posted - debits_posted: zero for every whole ledger. */
export const sumPostedBalances = (balances: readonly AccountBalance[]): bigint =>
  balances.reduce((sum, b) => sum + b.creditsPosted - b.debitsPosted, 0n)

export async function runLedgerWorkload(
  ledger: Ledger,
  options: WorkloadOptions,
): Promise<WorkloadReport> {
  const requests = options.requests ?? 10_000
  const callers = options.callers ?? 32
  const books = await openBooks(ledger, options.ledgers, mulberry32(options.seed))
  const state = makeState(books)
  let issued = 0
  const claim = (count: number) => {
    if (issued + count > requests) return false
    issued += count
    return true
  }
  let running = true
  const sampling = (async () => {
    while (running) await checkSnapshot(ledger, books, state.violations)
  })()
  await Promise.all(
    Array.from({ length: callers }, (_, caller) =>
      runCaller(ledger, books, state, mulberry32(options.seed * 7_919 + caller + 1), claim),
    ),
  )
  running = false
  await sampling
  await checkSnapshot(ledger, books, state.violations)
  const final = await ledger.getBalances(books.flatMap((book) => book.accounts.map((a) => a.id)))
  for (const [id, expected] of state.expected) {
    const actual = final.get(id)
    if (!actual || !sameBalance(actual, expected)) {
      state.mismatches.push(`${id}: expected ${show(expected)}, got ${actual && show(actual)}`)
    }
  }
  const ledgerSums = books.map((book) =>
    sumPostedBalances(book.accounts.map((a) => final.get(a.id) ?? zero())),
  )
  const { mismatches, violations } = state
  return { requests: issued, ...state.counts, mismatches, violations, ledgerSums }
}

function makeState(books: readonly Book[]) {
  const expected = new Map<string, Balance>()
  for (const book of books) for (const account of book.accounts) expected.set(account.id, zero())
  for (const book of books) {
    const [settlement, ...liquidity] = book.accounts
    for (const account of liquidity) {
      expectedOf(expected, settlement?.id ?? '').debitsPosted += fundingEach
      expectedOf(expected, account.id).creditsPosted += fundingEach
    }
  }
  return {
    expected,
    /** Every pending transfer created, by id, so a post or void knows what it moves. */
    pendings: new Map<string, NewTransfer>(),
    counts: { created: 0, existing: 0, refused: 0 },
    mismatches: [] as string[],
    violations: [] as string[],
  }
}

type State = ReturnType<typeof makeState>

async function openBooks(
  ledger: Ledger,
  numbers: readonly number[],
  random: () => number,
): Promise<Book[]> {
  const books: Book[] = numbers.map((number) => ({
    number,
    accounts: [
      { id: crypto.randomUUID(), kind: 'SETTLEMENT' },
      ...Array.from({ length: liquidityPerLedger }, () => ({
        id: crypto.randomUUID(),
        kind: pick(random, liquidityAccountKinds),
      })),
    ],
  }))
  const created = await ledger.createAccounts(
    books.flatMap((book) => book.accounts.map((a) => ({ ...a, ledger: book.number }))),
  )
  if (!created.ok) throw new Error(`workload: could not create accounts: ${created.error.error}`)
  for (const book of books) {
    const [settlement, ...liquidity] = book.accounts
    const funding = liquidity.map((account) =>
      newTransfer('single', settlement?.id ?? '', account.id, fundingEach, book.number),
    )
    const funded = await ledger.transfer(funding)
    if (!funded.ok) throw new Error(`workload: could not fund: ${funded.error.error}`)
  }
  return books
}

async function runCaller(
  ledger: Ledger,
  books: readonly Book[],
  state: State,
  random: () => number,
  claim: (count: number) => boolean,
): Promise<void> {
  const open: NewTransfer[] = []
  const past: Past[] = []
  const send = async (batch: readonly TransferRequest[]) => {
    const outcome = await ledger.transfer(batch)
    count(state, outcome)
    if (outcome.ok && outcome.value === 'created') applyToModel(state, batch)
    return outcome
  }
  const expect = (what: string, outcome: Outcome, wanted: string) => {
    const got = outcome.ok ? outcome.value : `${outcome.error.index}:${outcome.error.error}`
    if (got !== wanted) state.mismatches.push(`${what}: expected ${wanted}, got ${got}`)
  }
  for (;;) {
    const roll = random()
    if (roll < 0.05 && claim(2)) {
      // The same new transfer twice at once: at most one applies, the other sees it.
      const batch = [randomSingle(random, books)]
      const outcomes = await Promise.all([send(batch), send(batch)])
      const got = outcomes.map((o) => (o.ok ? o.value : o.error.error)).sort()
      if (got.includes('created') && got.join() !== 'created,exists') {
        state.mismatches.push(`duplicate submission: got ${got.join()}`)
      }
      continue
    }
    if (!claim(1)) return
    if (roll < 0.12 && past.length > 0) {
      const retried = pick(random, past)
      const outcome = await send(retried.batch)
      if (retried.created) expect('retry of an applied batch', outcome, 'exists')
    } else if (roll < 0.2) {
      const [batch, wanted] = refusedBatch(random, books)
      expect('a transfer that must be refused', await send(batch), wanted)
    } else if (roll < 0.3) {
      const [first, second] = pickTwo(random, books)
      const batch = [randomSingleOn(random, first), randomSingleOn(random, second)]
      const outcome = await send(batch)
      past.push({ batch, created: outcome.ok })
    } else if (roll < 0.5 && open.length > 0) {
      const held = open.splice(Math.floor(random() * open.length), 1)[0]
      const batch = [resolution(random() < 0.6 ? 'post' : 'void', held?.id ?? '')]
      expect('resolving an open pending transfer', await send(batch), 'created')
      past.push({ batch, created: true })
    } else {
      const transfer = randomSingle(random, books, random() < 0.4 ? 'pending' : 'single')
      const outcome = await send([transfer])
      if (outcome.ok && transfer.type === 'pending') open.push(transfer)
      past.push({ batch: [transfer], created: outcome.ok })
    }
  }
}

function refusedBatch(random: () => number, books: readonly Book[]): [TransferRequest[], string] {
  const book = pick(random, books)
  const account = pick(random, book.accounts).id
  const roll = random()
  if (roll < 0.4) {
    return [
      [newTransfer('single', account, crypto.randomUUID(), 1n, book.number)],
      '0:unknown_account',
    ]
  }
  if (roll < 0.7) return [[resolution('post', crypto.randomUUID())], '0:unknown_pending_transfer']
  const other = books.find((b) => b !== book) ?? book
  const stranger = pick(random, other.accounts).id
  return [[newTransfer('single', account, stranger, 1n, book.number)], '0:different_ledgers']
}

function applyToModel(state: State, batch: readonly TransferRequest[]): void {
  for (const transfer of batch) {
    if ('pendingId' in transfer) {
      const held = state.pendings.get(transfer.pendingId)
      if (!held) throw new Error(`workload: ${transfer.pendingId} resolved but never created`)
      const d = expectedOf(state.expected, held.debitAccountId)
      const c = expectedOf(state.expected, held.creditAccountId)
      d.debitsPending -= held.amount
      c.creditsPending -= held.amount
      if (transfer.type === 'post') {
        d.debitsPosted += held.amount
        c.creditsPosted += held.amount
      }
      continue
    }
    const pending = transfer.type === 'pending'
    if (pending) state.pendings.set(transfer.id, transfer)
    expectedOf(state.expected, transfer.debitAccountId)[
      pending ? 'debitsPending' : 'debitsPosted'
    ] += transfer.amount
    expectedOf(state.expected, transfer.creditAccountId)[
      pending ? 'creditsPending' : 'creditsPosted'
    ] += transfer.amount
  }
}

async function checkSnapshot(ledger: Ledger, books: readonly Book[], violations: string[]) {
  const ids = books.flatMap((book) => book.accounts.map((account) => account.id))
  const balances = await ledger.getBalances(ids)
  for (const book of books) {
    let posted = 0n
    let held = 0n
    for (const account of book.accounts) {
      const balance = balances.get(account.id) ?? zero()
      posted += balance.creditsPosted - balance.debitsPosted
      held += balance.creditsPending - balance.debitsPending
      const room =
        account.kind === 'SETTLEMENT'
          ? postedBalance('SETTLEMENT', balance) - balance.creditsPending
          : postedBalance(account.kind, balance) - balance.debitsPending
      if (room < 0n) violations.push(`${account.kind} ${account.id} beyond its limit by ${-room}`)
    }
    if (posted !== 0n) violations.push(`ledger ${book.number}: posted balances sum to ${posted}`)
    if (held !== 0n) violations.push(`ledger ${book.number}: pending sides differ by ${held}`)
  }
}

function count(state: State, outcome: Outcome): void {
  if (!outcome.ok) state.counts.refused += 1
  else if (outcome.value === 'created') state.counts.created += 1
  else state.counts.existing += 1
}

function randomSingle(
  random: () => number,
  books: readonly Book[],
  type: 'single' | 'pending' = 'single',
) {
  return randomSingleOn(random, pick(random, books), type)
}

function randomSingleOn(random: () => number, book: Book, type: 'single' | 'pending' = 'single') {
  const from = pick(random, book.accounts)
  const to = pick(
    random,
    book.accounts.filter((account) => account !== from),
  )
  const amount = BigInt(1 + Math.floor(random() * amountMax))
  return newTransfer(type, from.id, to.id, amount, book.number)
}

function newTransfer(
  type: 'single' | 'pending',
  debitAccountId: string,
  creditAccountId: string,
  amount: bigint,
  ledger: number,
): NewTransfer {
  const base = { id: crypto.randomUUID(), debitAccountId, creditAccountId, amount, ledger }
  return type === 'pending'
    ? { ...base, type, timeoutSeconds: longTimeoutSeconds }
    : { ...base, type }
}

const resolution = (type: 'post' | 'void', pendingId: string): TransferRequest => ({
  type,
  id: crypto.randomUUID(),
  pendingId,
})

function pickTwo(random: () => number, books: readonly Book[]): [Book, Book] {
  const first = pick(random, books)
  return [
    first,
    pick(
      random,
      books.filter((book) => book !== first),
    ),
  ]
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new Error('workload: pick from an empty list')
  return item
}

function expectedOf(expected: Map<string, Balance>, id: string): Balance {
  const balance = expected.get(id)
  if (!balance) throw new Error(`workload: unknown account ${id}`)
  return balance
}

const zero = (): Balance => ({
  debitsPending: 0n,
  debitsPosted: 0n,
  creditsPending: 0n,
  creditsPosted: 0n,
})

const sameBalance = (a: AccountBalance, b: AccountBalance) =>
  a.debitsPending === b.debitsPending &&
  a.debitsPosted === b.debitsPosted &&
  a.creditsPending === b.creditsPending &&
  a.creditsPosted === b.creditsPosted

const show = (b: AccountBalance) =>
  `dp=${b.debitsPending} dP=${b.debitsPosted} cp=${b.creditsPending} cP=${b.creditsPosted}`

/** A small seeded PRNG (mulberry32): the same seed gives every caller the same choices. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
