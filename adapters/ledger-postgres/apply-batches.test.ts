import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import type { Sql } from '../postgres/database.ts'
import { applyBatches, type Batch } from './apply-batches.ts'

type Answer = (batches: unknown[][]) => readonly string[]
type Call = { batches: unknown[][]; accounts: unknown; pendingIds: unknown; now: unknown }

/** Stands in for postgres.js: answers ledger_apply_batches calls from a script, counting them. */
function fakeSql(answer: Answer) {
  const calls: Call[] = []
  const sql = async (_strings: TemplateStringsArray, ...values: unknown[]) => {
    const [payload, accounts, pendingIds, now] = values
    const batches = JSON.parse(String(payload)) as unknown[][]
    calls.push({ batches, accounts, pendingIds, now })
    return [{ outcomes: JSON.stringify(answer(batches)) }]
  }
  return { sql: sql as unknown as Sql, calls }
}

const postgresError = (code: string) =>
  new postgres.PostgresError({ message: `error ${code}`, code } as never)

const transfer = (amount: bigint): TransferRequest => ({
  type: 'single',
  id: crypto.randomUUID(),
  debitAccountId: crypto.randomUUID(),
  creditAccountId: crypto.randomUUID(),
  amount,
  ledger: 1,
})

const options = { now: () => undefined, attemptsMax: 3 }

describe('applyBatches', () => {
  it('sends every batch in one call and maps each outcome back', async () => {
    const { sql, calls } = fakeSql(() => ['created', 'exists', '1:insufficient_balance'])
    const batches: Batch[] = [[transfer(1n)], [transfer(2n)], [transfer(3n), transfer(4n)]]
    expect(await applyBatches(sql, batches, options)).toEqual([
      { status: 'fulfilled', value: { ok: true, value: 'created' } },
      { status: 'fulfilled', value: { ok: true, value: 'exists' } },
      {
        status: 'fulfilled',
        value: { ok: false, error: { index: 1, error: 'insufficient_balance' } },
      },
    ])
    expect(calls).toHaveLength(1)
    expect(calls[0]?.batches[2]).toEqual([
      expect.objectContaining({ type: 'single', amount: '3', ledger: 1, timeout: null }),
      expect.objectContaining({ amount: '4' }),
    ])
    expect(calls[0]?.now).toBeNull()
  })

  it('runs a group again after a deadlock or serialization failure', async () => {
    let failures = ['40P01', '40001']
    const { sql, calls } = fakeSql((batches) => {
      const code = failures[0]
      failures = failures.slice(1)
      if (code) throw postgresError(code)
      return batches.map(() => 'created')
    })
    const outcomes = await applyBatches(sql, [[transfer(1n)]], options)
    expect(outcomes).toEqual([{ status: 'fulfilled', value: { ok: true, value: 'created' } }])
    expect(calls).toHaveLength(3)
  })

  it('gives up after attemptsMax runs', async () => {
    const { sql, calls } = fakeSql(() => {
      throw postgresError('40001')
    })
    await expect(applyBatches(sql, [[transfer(1n)]], options)).rejects.toThrow('error 40001')
    expect(calls).toHaveLength(3)
  })

  it('splits a group the database refuses, so only the offending batch fails', async () => {
    const { sql, calls } = fakeSql((batches) => {
      if (JSON.stringify(batches).includes('"amount":"666"')) throw postgresError('22003')
      return batches.map(() => 'created')
    })
    const outcomes = await applyBatches(
      sql,
      [[transfer(1n)], [transfer(666n)], [transfer(3n)]],
      options,
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
    // The group once, then each batch alone; no retries for a refusal that is not a race.
    expect(calls).toHaveLength(4)
  })

  it('fails the whole group when the connection, not the database, fails', async () => {
    const { sql, calls } = fakeSql(() => {
      throw new Error('write CONNECTION_CLOSED')
    })
    await expect(applyBatches(sql, [[transfer(1n)], [transfer(2n)]], options)).rejects.toThrow(
      'CONNECTION_CLOSED',
    )
    expect(calls).toHaveLength(1)
  })

  it('passes the clock, the accounts to lock and posts and voids by their pending id', async () => {
    const { sql, calls } = fakeSql((batches) => batches.map(() => 'created'))
    const at = new Date(Date.UTC(2025, 0, 1))
    const pendingId = crypto.randomUUID()
    const post: TransferRequest = { type: 'post', id: crypto.randomUUID(), pendingId }
    const paid = transfer(5n)
    const other = {
      ...transfer(6n),
      creditAccountId: 'debitAccountId' in paid ? paid.debitAccountId : '',
    }
    await applyBatches(sql, [[post], [paid, other]], { now: () => at, attemptsMax: 1 })
    expect(calls[0]?.now).toEqual(at)
    expect(calls[0]?.batches[0]).toEqual([{ type: 'post', id: post.id, pending: pendingId }])
    expect(calls[0]?.pendingIds).toEqual([pendingId])
    expect(calls[0]?.accounts).toEqual(
      'debitAccountId' in paid && 'debitAccountId' in other
        ? [paid.debitAccountId, paid.creditAccountId, other.debitAccountId]
        : [],
    )
  })

  it('treats an outcome it does not know as a bug', async () => {
    const { sql } = fakeSql(() => ['0:no_such_error'])
    await expect(applyBatches(sql, [[transfer(1n)]], options)).rejects.toThrow('unexpected outcome')
  })
})
