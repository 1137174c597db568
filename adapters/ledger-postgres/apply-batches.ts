// One group commit = one call of ledger_apply_batches (migrations/0002_ledger.sql): the callers'
// linked batches as a jsonb array in, one outcome per batch out, all in one transaction.
import postgres from 'postgres'
import type { TransferFailure } from '../../application/ports/ledger.ts'
import type { TransferError, TransferRequest } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { Sql } from '../postgres/database.ts'

export type Batch = readonly TransferRequest[]
export type BatchOutcome = Result<'created' | 'exists', TransferFailure>

export type ApplyOptions = {
  /** The time transfers are decided at; undefined uses the database clock. */
  readonly now: () => Date | undefined
  /** Attempts of a group that hits a serialization failure or deadlock. */
  readonly attemptsMax: number
}

const transferErrors = new Set<string>([
  'invalid_id',
  'invalid_amount',
  'invalid_timeout',
  'same_account',
  'unknown_account',
  'different_ledgers',
  'insufficient_balance',
  'unknown_pending_transfer',
  'already_posted',
  'already_voided',
  'expired',
  'exists_with_different_fields',
] satisfies TransferError[])

// Another transaction won a race the whole group has to run again for: a serialization
// failure, a deadlock, or a concurrent insert of the same transfer id (which, run again,
// is seen and answered `exists`).
const retryableCodes = new Set(['40001', '40P01', '23505'])
const retryBackoffMs = 5
// Refusals caused by the data of some batch (data exception, integrity, a raise in PL/pgSQL),
// not by the database being unwell: worth running each batch of the group on its own.
const dataErrorClasses = new Set(['22', '23', 'P0'])

/**
 * Applies a group of batches, retrying the whole group when it lost a race. A group the database
 * refuses otherwise is split, so that a batch tripping over something unexpected fails alone.
 */
export async function applyBatches(
  sql: Sql,
  batches: readonly Batch[],
  options: ApplyOptions,
): Promise<PromiseSettledResult<BatchOutcome>[]> {
  try {
    const outcomes = await applyWithRetries(sql, batches, options)
    return outcomes.map((value) => ({ status: 'fulfilled', value }))
  } catch (error) {
    const code = error instanceof postgres.PostgresError ? error.code : ''
    if (batches.length === 1 || !dataErrorClasses.has(code.slice(0, 2))) throw error
    const alone = await Promise.allSettled(
      batches.map(async (batch) => {
        const [outcome] = await applyWithRetries(sql, [batch], options)
        assert(outcome !== undefined, 'ledger: one outcome for one batch')
        return outcome
      }),
    )
    return alone
  }
}

async function applyWithRetries(
  sql: Sql,
  batches: readonly Batch[],
  options: ApplyOptions,
): Promise<BatchOutcome[]> {
  const payload = JSON.stringify(batches.map((batch) => batch.map(encode)))
  const { accounts, pendingIds } = namedIds(batches)
  for (let attempt = 1; ; attempt += 1) {
    try {
      const now = options.now() ?? null
      // Text both ways: postgres.js would JSON-encode a string given for a jsonb parameter again,
      // and leaves a jsonb result unparsed unless configured to parse it.
      const [row] = await sql<{ outcomes: string }[]>`
        select ledger_apply_batches(${payload}::text::jsonb, ${accounts}::uuid[],
          ${pendingIds}::uuid[], ${now}::timestamptz)::text as outcomes`
      assert(row !== undefined, 'ledger: ledger_apply_batches returned no row')
      return decodeOutcomes(JSON.parse(row.outcomes), batches.length)
    } catch (error) {
      const code = error instanceof postgres.PostgresError ? error.code : undefined
      if (attempt >= options.attemptsMax || code === undefined || !retryableCodes.has(code)) {
        throw error
      }
      // Jittered, so that two groups that collided do not collide again.
      await sleep(Math.random() * retryBackoffMs * attempt)
    }
  }
}

/** What the group commit locks up front: the accounts named, and those of the pending transfers. */
function namedIds(batches: readonly Batch[]) {
  const accounts = new Set<string>()
  const pendingIds = new Set<string>()
  for (const batch of batches) {
    for (const request of batch) {
      if ('pendingId' in request) pendingIds.add(request.pendingId)
      else accounts.add(request.debitAccountId).add(request.creditAccountId)
    }
  }
  return { accounts: [...accounts], pendingIds: [...pendingIds] }
}

function encode(request: TransferRequest): Record<string, string | number | null> {
  if ('pendingId' in request) {
    return { type: request.type, id: request.id, pending: request.pendingId }
  }
  return {
    type: request.type,
    id: request.id,
    debit: request.debitAccountId,
    credit: request.creditAccountId,
    amount: String(request.amount),
    ledger: request.ledger,
    timeout: request.type === 'pending' ? (request.timeoutSeconds ?? null) : null,
  }
}

function decodeOutcomes(value: unknown, count: number): BatchOutcome[] {
  assert(
    Array.isArray(value) && value.length === count,
    'ledger: ledger_apply_batches returned the wrong number of outcomes',
  )
  return value.map(decodeOutcome)
}

function decodeOutcome(value: unknown): BatchOutcome {
  if (value === 'created' || value === 'exists') return ok(value)
  const match = typeof value === 'string' ? /^(\d+):([a-z_]+)$/.exec(value) : null
  const [, index, error] = match ?? []
  assert(
    index !== undefined && error !== undefined && transferErrors.has(error),
    `ledger: unexpected outcome ${JSON.stringify(value)} from ledger_apply_batches`,
  )
  return err({ index: Number(index), error: error as TransferError })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
