// The Ledger over PostgreSQL (or PGlite): stored balances changed by conditional updates inside
// one PL/pgSQL function (migrations/0002_ledger.sql), fed by a group commit so that many
// callers' transfers share one round trip and one commit. Nothing is acknowledged before the
// transaction holding it has committed.
import type { Clock } from '../../application/ports/clock.ts'
import type { Ledger } from '../../application/ports/ledger.ts'
import type { Logger } from '../../application/ports/logger.ts'
import { checkTransfer, type TransferRequest } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err } from '../../domain/shared/result.ts'
import type { Sql } from '../postgres/database.ts'
import { applySingle, loneSingle } from './apply-single.ts'
import { applyBatches, type Batch, type BatchOutcome } from './apply-batches.ts'
import { makeGroupCommit } from './group-commit.ts'
import { createAccounts, getAccountTransfers, getBalances } from './ledger-queries.ts'
import { ledgerLimits } from './ledger-limits.ts'

export type PostgresLedgerOptions = {
  /**
   * A pool committing without waiting for the WAL flush: `deferred` transfers go through it, in
   * group commits of their own. Absent (PGlite), they share the durable queue.
   */
  readonly deferredSql?: Sql
  /** How long a transfer waits for others to share its commit, at most, when the database is idle. */
  readonly batchWindowMs?: number
  /** Linked batches per group commit (one function call, one transaction) at most. */
  readonly batchSizeMax?: number
  /** Group commits in the database at once; more gather meanwhile. */
  readonly groupsInFlightMax?: number
  /** How often expired holds are released in the background; 0 leaves it to sweepExpired(). */
  readonly sweepIntervalMs?: number
  /** Expired holds released per sweep transaction at most. */
  readonly sweepBatchMax?: number
  /** Runs of a group commit that lost a race (serialization failure, deadlock) at most. */
  readonly attemptsMax?: number
  /** Decides expiry and stamps transfers; by default the database clock, which replicas share. */
  readonly clock?: Clock
  /** Where a failed background sweep is reported. */
  readonly logger?: Pick<Logger, 'error'>
}

/**
 * Defaults, chosen with bench/ledger.ts on 2 cores. No window: a lone caller should not wait, and
 * under load groups form by themselves while earlier ones are in the database (a 1 ms window
 * cost a sequential caller two thirds of its rate and gained nothing at 64 callers). Two groups
 * in flight hide a round trip without making them fight over the same hot rows (three did worse).
 * 256 batches bound the time one group holds its accounts.
 */
export const postgresLedgerDefaults = {
  batchWindowMs: 0,
  batchSizeMax: 256,
  groupsInFlightMax: 2,
  sweepIntervalMs: 1_000,
  sweepBatchMax: 500,
  attemptsMax: 5,
} as const

export type PostgresLedger = Ledger & {
  /** Releases up to sweepBatchMax expired holds now; returns how many. */
  sweepExpired(): Promise<number>
}

const sweepRoundsMax = 10

export function makePostgresLedger(sql: Sql, options: PostgresLedgerOptions = {}): PostgresLedger {
  const settings = { ...postgresLedgerDefaults, ...options }
  const { clock, logger } = options
  assert(
    Number.isSafeInteger(settings.sweepIntervalMs) && settings.sweepIntervalMs >= 0,
    'postgres ledger: sweepIntervalMs >= 0',
  )
  assert(
    Number.isSafeInteger(settings.sweepBatchMax) && settings.sweepBatchMax > 0,
    'postgres ledger: sweepBatchMax > 0',
  )
  assert(
    Number.isSafeInteger(settings.attemptsMax) && settings.attemptsMax > 0,
    'postgres ledger: attemptsMax > 0',
  )
  const now = () => (clock ? new Date(clock.now()) : undefined)
  const queue = (client: Sql) =>
    makeGroupCommit<Batch, BatchOutcome>(
      async (batches) => {
        const single = loneSingle(batches)
        const fast = single && (await applySingle(client, single, now()))
        if (fast !== undefined) return [{ status: 'fulfilled', value: fast }]
        return applyBatches(client, batches, { now, attemptsMax: settings.attemptsMax })
      },
      {
        windowMs: settings.batchWindowMs,
        sizeMax: settings.batchSizeMax,
        inFlightMax: settings.groupsInFlightMax,
      },
    )
  const groups = queue(sql)
  // A deferred commit becomes durable with the next durable one: PostgreSQL flushes the WAL in
  // order, so a post committed durably carries the hold it posts.
  const deferredGroups = options.deferredSql ? queue(options.deferredSql) : groups
  const sweepExpired = async (): Promise<number> => {
    const [row] = await sql<{ released: number }[]>`
      select ledger_sweep_expired(${now() ?? null}::timestamptz, ${settings.sweepBatchMax})
        as released`
    return row?.released ?? 0
  }
  const sweeper = startSweeper(
    sweepExpired,
    settings.sweepIntervalMs,
    settings.sweepBatchMax,
    logger,
  )

  return {
    createAccounts: (accounts) => createAccounts(sql, accounts),
    async transfer(batch, transferOptions) {
      const invalid = firstInvalid(batch)
      if (invalid !== undefined) return err(invalid)
      const deferred = transferOptions?.durability === 'deferred'
      return (deferred ? deferredGroups : groups).submit(batch)
    },
    getBalances: (ids) => getBalances(sql, ids, now()),
    getAccountTransfers: (accountId, limit) => getAccountTransfers(sql, accountId, limit, now()),
    sweepExpired,
    async close() {
      await sweeper.stop()
      await groups.close()
      if (deferredGroups !== groups) await deferredGroups.close()
    },
  }
}

function firstInvalid(batch: readonly TransferRequest[]) {
  assert(
    batch.length > 0 && batch.length <= ledgerLimits.transfersPerBatchMax,
    `postgres ledger: a batch holds 1 to ${ledgerLimits.transfersPerBatchMax} transfers`,
  )
  for (const [index, request] of batch.entries()) {
    const error = checkTransfer(request)
    if (error !== undefined) return { index, error }
    if ('pendingId' in request) continue
    assert(
      Number.isInteger(request.ledger) &&
        request.ledger > 0 &&
        request.ledger <= ledgerLimits.ledgerMax,
      `postgres ledger: ledger ${request.ledger} out of range`,
    )
    if (request.type === 'pending') {
      assert(
        (request.timeoutSeconds ?? 0) <= ledgerLimits.timeoutSecondsMax,
        'postgres ledger: timeoutSeconds > u32',
      )
    }
  }
  return undefined
}

type Sweeper = { stop(): Promise<void> }

// Holds are also released lazily when they block a transfer; the sweeper keeps their number,
// and so the cost of that lazy path, small.
function startSweeper(
  sweep: () => Promise<number>,
  intervalMs: number,
  batchMax: number,
  logger: Pick<Logger, 'error'> | undefined,
): Sweeper {
  if (intervalMs === 0) return { stop: async () => {} }
  let stopped = false
  let running: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const rounds = async () => {
    for (let round = 0; round < sweepRoundsMax && !stopped; round += 1) {
      if ((await sweep()) < batchMax) return
    }
  }
  const tick = () => {
    running = rounds()
      .catch((error: unknown) =>
        logger?.error({ err: error }, 'ledger: sweeping expired holds failed'),
      )
      .finally(() => {
        running = undefined
        if (!stopped) arm()
      })
  }
  const arm = () => {
    // unref: a pending sweep never keeps the process alive.
    timer = setTimeout(tick, intervalMs)
    timer.unref()
  }
  arm()
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
