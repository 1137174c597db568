// Transfers per second through the PostgreSQL Ledger (group commit), on embedded PGlite and on
// real PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL; a fresh database, dropped after):
// one caller in sequence and 64 concurrent callers, on an empty ledger and again after the
// ledger was filled with a million transfers. The cost of a transfer must not grow with history.
//
//   npx tsx bench/ledger.ts
import { withFreshDatabaseUrl } from './fresh-database.ts'
import {
  makePostgresLedger,
  postgresLedgerDefaults,
  type PostgresLedger,
} from '../adapters/ledger-postgres/postgres-ledger.ts'
import { openDatabase, type Database, type Sql } from '../adapters/postgres/database.ts'
import { migrationsDirectory, runMigrations } from '../adapters/postgres/migrations.ts'
import type { TransferRequest } from '../domain/ledger/transfer.ts'

const liquidityAccounts = 128
const concurrentCallers = 64
const measureMs = 2_000
const warmUpMs = 1_000
/**
 * Each figure is the best of this many runs: other processes on the machine can only slow a run
 * down, so the best one is the steadiest estimate of what the ledger can do.
 */
const runs = 5
// Transfers added between the two measurements; BENCH_LEDGER_FILL=100000 for a quicker run.
const fillCount = Number(process.env['BENCH_LEDGER_FILL'] || 1_000_000)
const fillChunk = 100_000
const funding = 10n ** 15n
const ledgerNumber = 1

type Books = { readonly settlement: string; readonly accounts: readonly string[] }
type Figures = { readonly sequential: number; readonly concurrent: number }

const uuid = () => crypto.randomUUID()

async function openBooks(ledger: PostgresLedger): Promise<Books> {
  const settlement = uuid()
  const accounts = Array.from({ length: liquidityAccounts }, uuid)
  const created = await ledger.createAccounts([
    { id: settlement, ledger: ledgerNumber, kind: 'SETTLEMENT' },
    ...accounts.map((id) => ({ id, ledger: ledgerNumber, kind: 'PEER' as const })),
  ])
  if (!created.ok) throw new Error('bench: could not create accounts')
  const funded = await ledger.transfer(accounts.map((id) => single(settlement, id, funding)))
  if (!funded.ok) throw new Error('bench: could not fund accounts')
  return { settlement, accounts }
}

function single(debit: string, credit: string, amount: bigint): TransferRequest {
  return {
    type: 'single',
    id: uuid(),
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    ledger: ledgerNumber,
  }
}

/** Transfers/s of `callers` callers, each sending one transfer after another for durationMs. */
async function rate(ledger: PostgresLedger, books: Books, callers: number, durationMs: number) {
  const { accounts } = books
  let done = 0
  const startedMs = performance.now()
  const endMs = startedMs + durationMs
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < endMs) {
        const from = Math.floor(Math.random() * accounts.length)
        const to = (from + 1 + Math.floor(Math.random() * (accounts.length - 1))) % accounts.length
        const outcome = await ledger.transfer([
          single(accounts[from] ?? '', accounts[to] ?? '', 1n),
        ])
        if (!outcome.ok) throw new Error(`bench: transfer refused: ${outcome.error.error}`)
        done += 1
      }
    }),
  )
  return done / ((performance.now() - startedMs) / 1000)
}

async function measure(ledger: PostgresLedger, books: Books): Promise<Figures> {
  await rate(ledger, books, concurrentCallers, warmUpMs)
  const sequential: number[] = []
  const concurrent: number[] = []
  for (let run = 0; run < runs; run += 1) {
    sequential.push(await rate(ledger, books, 1, measureMs))
    concurrent.push(await rate(ledger, books, concurrentCallers, measureMs))
  }
  return { sequential: Math.max(...sequential), concurrent: Math.max(...concurrent) }
}

/**
 * Adds `count` posted transfers straight into the tables, a chunk per transaction: a ring over
 * the accounts (each account pays the next 1 unit), with the balances updated to match, so the
 * ledger stays consistent (every account as much debited as credited, give or take one).
 */
async function fill(sql: Sql, books: Books, count: number): Promise<void> {
  const ring = books.accounts
  for (let start = 0; start < count; start += fillChunk) {
    const end = Math.min(count, start + fillChunk) - 1
    await sql.begin(async (tx) => {
      await tx`
        insert into ledger_transfers (id, type, debit_account_id, credit_account_id, amount,
                                      ledger, state, created_at)
        select gen_random_uuid(), 'single', (${ring}::uuid[])[i % ${ring.length} + 1],
          (${ring}::uuid[])[(i + 1) % ${ring.length} + 1], 1, ${ledgerNumber}, 'POSTED', now()
        from generate_series(${start}::int, ${end}::int) as i`
      await tx`
        with moved as (
          select (${ring}::uuid[])[i % ${ring.length} + 1] as debit,
                 (${ring}::uuid[])[(i + 1) % ${ring.length} + 1] as credit
          from generate_series(${start}::int, ${end}::int) as i
        ), totals as (
          select id, sum(debited) as debited, sum(credited) as credited
          from (select debit as id, 1 as debited, 0 as credited from moved
                union all select credit, 0, 1 from moved) sides
          group by id
        )
        update ledger_accounts a
        set debits_posted = a.debits_posted + t.debited,
            credits_posted = a.credits_posted + t.credited
        from totals t where a.id = t.id`
    })
  }
  // What autovacuum would do soon after such a load on a real server, and the checkpoint that
  // writes the load out, so that its I/O is not billed to the transfers measured next.
  await sql`vacuum analyze ledger_transfers`
  await sql`vacuum analyze ledger_accounts`
  await sql`checkpoint`
}

/** Sum of credit-side balances over the ledger (must be 0) and the number of transfers. */
async function check(sql: Sql): Promise<{ sum: bigint; transfers: number }> {
  const [row] = await sql<{ sum: string; transfers: string }[]>`
    select (select sum(credits_posted - debits_posted) from ledger_accounts)::text as sum,
           (select count(*) from ledger_transfers)::text as transfers`
  return { sum: BigInt(row?.sum ?? 'NaN'), transfers: Number(row?.transfers) }
}

async function benchOne(name: string, database: Database, fillCount: number): Promise<void> {
  await runMigrations(database.sql, { directory: migrationsDirectory })
  const ledger = makePostgresLedger(database.sql)
  try {
    const books = await openBooks(ledger)
    const before = await measure(ledger, books)
    const fillStartedMs = performance.now()
    await fill(database.sql, books, fillCount)
    const fillS = (performance.now() - fillStartedMs) / 1000
    const { sum, transfers } = await check(database.sql)
    if (sum !== 0n) throw new Error(`bench: the ledger sums to ${sum} after the fill`)
    console.log(
      `${name}: filled ${fillCount.toLocaleString('en')} transfers in ${fillS.toFixed(1)} s ` +
        `(${transfers.toLocaleString('en')} in the table, balances sum to 0)`,
    )
    const after = await measure(ledger, books)
    report(name, 'sequential (1 caller)', before.sequential, after.sequential)
    report(name, `concurrent (${concurrentCallers} callers)`, before.concurrent, after.concurrent)
  } finally {
    await ledger.close()
  }
}

function report(name: string, what: string, before: number, after: number): void {
  const rounded = (value: number) => value.toFixed(0).padStart(6)
  console.log(
    `${name.padEnd(15)} ${what.padEnd(24)} before fill ${rounded(before)} transfers/s   ` +
      `after fill ${rounded(after)} transfers/s   after/before ${(after / before).toFixed(2)}`,
  )
}

async function withFreshDatabase(url: string, use: (database: Database) => Promise<void>) {
  await withFreshDatabaseUrl(url, 'bench_ledger', async (freshUrl) => {
    const database = await openDatabase(
      { kind: 'postgres', url: freshUrl },
      { poolMax: 10, connectTimeoutSeconds: 10 },
    )
    try {
      await use(database)
    } finally {
      await database.close()
    }
  })
}

export async function benchLedger(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL']
  const { batchWindowMs, batchSizeMax, groupsInFlightMax } = postgresLedgerDefaults
  console.log(
    `ledger: single transfers between ${liquidityAccounts} accounts; group commit window ` +
      `${batchWindowMs} ms, ${batchSizeMax} batches/group, ${groupsInFlightMax} groups in ` +
      `flight; best of ${runs} runs of ${measureMs / 1000} s`,
  )
  const pglite = await openDatabase(
    { kind: 'pglite', dataDir: 'memory' },
    { poolMax: 1, connectTimeoutSeconds: 10 },
  )
  try {
    await benchOne('pglite (memory)', pglite, fillCount)
  } finally {
    await pglite.close()
  }
  if (databaseUrl === undefined) {
    console.log('set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to measure on real PostgreSQL')
    return
  }
  await withFreshDatabase(databaseUrl, (database) => benchOne('postgresql', database, fillCount))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchLedger().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
