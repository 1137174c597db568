// What the contract suite cannot see from outside: group commits, stored columns, lazy and swept
// expiry, several replicas on one database. The Ledger rules themselves are in
// test/contracts/ledger.contract.ts.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Ledger } from '../../application/ports/ledger.ts'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import { describeWithDatabases } from '../../test/support/databases.ts'
import { makeFakeClock } from '../memory/fake-clock.ts'
import type { Database, Sql } from '../postgres/database.ts'
import { makePostgresLedger, type PostgresLedgerOptions } from './postgres-ledger.ts'

const uuid = () => crypto.randomUUID()
let lastLedger = 2_000_000 + Math.floor(Math.random() * 1_000_000)

const single = (debit: string, credit: string, amount: bigint, ledger: number) =>
  ({
    type: 'single',
    id: uuid(),
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    ledger,
  }) satisfies TransferRequest

const pending = (debit: string, credit: string, amount: bigint, ledger: number, timeout: number) =>
  ({
    ...single(debit, credit, amount, ledger),
    type: 'pending',
    timeoutSeconds: timeout,
  }) satisfies TransferRequest

/** A new ledger number with a settlement account and liquidity accounts funded as asked. */
async function books(ledger: Ledger, funding: readonly bigint[]) {
  const number = (lastLedger += 1)
  const settlement = uuid()
  const accounts = funding.map(() => uuid())
  await ledger.createAccounts([
    { id: settlement, ledger: number, kind: 'SETTLEMENT' },
    ...accounts.map((id) => ({ id, ledger: number, kind: 'PEER' as const })),
  ])
  const deposits = accounts.map((id, i) => single(settlement, id, funding[i] ?? 0n, number))
  expect(await ledger.transfer(deposits.filter((t) => t.amount > 0n))).toEqual({
    ok: true,
    value: 'created',
  })
  return { number, settlement, accounts }
}

async function stored(sql: Sql, id: string) {
  const [row] = await sql<
    { debits_pending: string; credits_pending: string; debits_posted: string }[]
  >`
    select debits_pending::text, credits_pending::text, debits_posted::text
    from ledger_accounts where id = ${id}`
  return row
}

async function stateOf(sql: Sql, id: string) {
  const [row] = await sql<{ state: string }[]>`select state from ledger_transfers where id = ${id}`
  return row?.state
}

/** The same client, counting the group commits (calls of ledger_apply_batches) it carries. */
function countingGroups(sql: Sql) {
  let groups = 0
  const counted = new Proxy(sql, {
    apply(target, self, args: unknown[]) {
      const strings = args[0] as readonly string[] | undefined
      if (strings?.join('').includes('ledger_apply_batches')) groups += 1
      return Reflect.apply(target, self, args)
    },
  })
  return { sql: counted, groups: () => groups }
}

describeWithDatabases('postgres ledger', (target) => {
  let database: Database
  const opened: Ledger[] = []
  const open = (options: PostgresLedgerOptions = {}, sql: Sql = database.sql) => {
    const ledger = makePostgresLedger(sql, { sweepIntervalMs: 0, ...options })
    opened.push(ledger)
    return ledger
  }

  beforeAll(async () => {
    database = await target.open({ poolMax: 10 })
  })
  afterAll(async () => {
    for (const ledger of opened) await ledger.close()
    await database?.close()
  })

  it('applies each batch of a group commit on its own: a refused one fails alone', async () => {
    const counting = countingGroups(database.sql)
    const ledger = open({ batchWindowMs: 50 }, counting.sql)
    const { number, accounts } = await books(ledger, [100n, 0n, 0n])
    const [alice = '', bob = '', carol = ''] = accounts
    const before = counting.groups()
    const outcomes = await Promise.all([
      ledger.transfer([single(alice, bob, 10n, number)]),
      ledger.transfer([single(alice, bob, 5n, number), single(bob, carol, 1_000n, number)]),
      ledger.transfer([single(alice, uuid(), 1n, number)]),
      ledger.transfer([single(alice, carol, 7n, number)]),
    ])
    expect(counting.groups() - before).toBe(1)
    expect(outcomes).toEqual([
      { ok: true, value: 'created' },
      { ok: false, error: { index: 1, error: 'insufficient_balance' } },
      { ok: false, error: { index: 0, error: 'unknown_account' } },
      { ok: true, value: 'created' },
    ])
    expect(await stored(database.sql, alice)).toMatchObject({ debits_posted: '17' })
  })

  it('releases an expired hold lazily when it blocks a debit', async () => {
    const clock = makeFakeClock()
    const ledger = open({ clock })
    const { number, accounts } = await books(ledger, [100n, 0n])
    const [alice = '', bob = ''] = accounts
    const held = pending(alice, bob, 100n, number, 10)
    await ledger.transfer([held])
    clock.advance(10_000)
    // Expired but not released yet: stored, yet not shown.
    expect(await stored(database.sql, alice)).toMatchObject({ debits_pending: '100' })
    expect((await ledger.getBalances([alice])).get(alice)?.debitsPending).toBe(0n)
    expect(await ledger.transfer([single(alice, bob, 100n, number)])).toEqual({
      ok: true,
      value: 'created',
    })
    expect(await stored(database.sql, alice)).toMatchObject({ debits_pending: '0' })
    expect(await stored(database.sql, bob)).toMatchObject({ credits_pending: '0' })
    expect(await stateOf(database.sql, held.id)).toBe('EXPIRED')
  })

  it('sweeps expired holds in bounded batches', async () => {
    const clock = makeFakeClock()
    const ledger = open({ clock, sweepBatchMax: 2 })
    const { number, accounts } = await books(ledger, [100n, 0n])
    const [alice = '', bob = ''] = accounts
    const held = [1n, 2n, 3n].map((amount) => pending(alice, bob, amount, number, 5))
    for (const transfer of held) await ledger.transfer([transfer])
    await ledger.transfer([pending(alice, bob, 4n, number, 60)])
    clock.advance(4_999)
    expect(await ledger.sweepExpired()).toBe(0)
    clock.advance(1)
    expect([await ledger.sweepExpired(), await ledger.sweepExpired()]).toEqual([2, 1])
    expect(await ledger.sweepExpired()).toBe(0)
    expect(await stored(database.sql, alice)).toMatchObject({ debits_pending: '4' })
    expect(await stored(database.sql, bob)).toMatchObject({ credits_pending: '4' })
    const [first] = held
    expect(
      await ledger.transfer([{ type: 'post', id: uuid(), pendingId: first?.id ?? '' }]),
    ).toEqual({
      ok: false,
      error: { index: 0, error: 'expired' },
    })
    expect(
      await ledger.transfer([{ type: 'void', id: uuid(), pendingId: first?.id ?? '' }]),
    ).toEqual({
      ok: true,
      value: 'created',
    })
  })

  it('sweeps on a timer until closed', async () => {
    const clock = makeFakeClock()
    const ledger = open({ clock, sweepIntervalMs: 10 })
    const { number, accounts } = await books(ledger, [100n, 0n])
    const [alice = '', bob = ''] = accounts
    const held = pending(alice, bob, 30n, number, 1)
    await ledger.transfer([held])
    clock.advance(1_000)
    await expect.poll(() => stateOf(database.sql, held.id), { timeout: 5_000 }).toBe('EXPIRED')
    expect(await stored(database.sql, alice)).toMatchObject({ debits_pending: '0' })
    await ledger.close()
  })

  it('lets replicas share a database: no deadlock, no overdraft, money conserved', async () => {
    const replicas = [1, 2, 3].map(() => open({ batchSizeMax: 8, groupsInFlightMax: 3 }))
    const [first] = replicas
    if (!first) throw new Error('no replica')
    const { number, settlement, accounts } = await books(first, accounts8())
    // Transfers both ways between the same accounts, from every replica at once.
    const outcomes = await Promise.all(
      Array.from({ length: 600 }, (_, i) => {
        const from = accounts[i % accounts.length] ?? ''
        const to = accounts[(i * 5 + 3) % accounts.length] ?? ''
        const replica = replicas[i % replicas.length] ?? first
        return from === to
          ? undefined
          : replica.transfer([single(from, to, BigInt(50 + (i % 7) * 40), number)])
      }),
    )
    const settled = outcomes.filter((outcome) => outcome !== undefined)
    const refused = settled.filter((outcome) => !outcome.ok)
    expect(
      refused.every((outcome) => !outcome.ok && outcome.error.error === 'insufficient_balance'),
    ).toBe(true)
    expect(settled.length - refused.length).toBeGreaterThan(100)
    const balances = await first.getBalances([settlement, ...accounts])
    let sum = 0n
    for (const balance of balances.values()) {
      sum += balance.creditsPosted - balance.debitsPosted
      if (balance !== balances.get(settlement)) {
        expect(balance.creditsPosted - balance.debitsPosted).toBeGreaterThanOrEqual(0n)
      }
    }
    expect(sum).toBe(0n)
  })

  it('applies a transfer sent by two replicas at once exactly once', async () => {
    const [one, two] = [open(), open()]
    const { number, accounts } = await books(one, [10_000n, 0n])
    const [alice = '', bob = ''] = accounts
    for (let i = 0; i < 30; i += 1) {
      const transfer = single(alice, bob, 7n, number)
      const outcomes = await Promise.all([one.transfer([transfer]), two.transfer([transfer])])
      expect(outcomes.map((outcome) => outcome.ok && outcome.value).sort()).toEqual([
        'created',
        'exists',
      ])
    }
    expect((await one.getBalances([bob])).get(bob)?.creditsPosted).toBe(210n)
  })

  it('close() finishes what was submitted before it', async () => {
    const ledger = makePostgresLedger(database.sql, { batchWindowMs: 20, sweepIntervalMs: 0 })
    const { number, accounts } = await books(ledger, [100n, 0n])
    const [alice = '', bob = ''] = accounts
    const submitted = Array.from({ length: 20 }, () =>
      ledger.transfer([single(alice, bob, 1n, number)]),
    )
    await ledger.close()
    expect(await Promise.all(submitted)).toEqual(
      submitted.map(() => ({ ok: true, value: 'created' })),
    )
    await expect(ledger.transfer([single(alice, bob, 1n, number)])).rejects.toThrow('after close')
  })

  it('keeps CHECK constraints behind the functions as a last line of defence', async () => {
    const ledger = open()
    const { accounts } = await books(ledger, [100n])
    const [alice = ''] = accounts
    await expect(
      database.sql`update ledger_accounts set debits_posted = 101 where id = ${alice}`,
    ).rejects.toMatchObject({ code: '23514' })
  })
})

const accounts8 = () => Array.from({ length: 8 }, () => 1_000n)
