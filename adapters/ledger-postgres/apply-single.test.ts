import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import type { Database } from '../postgres/database.ts'
import { describeWithDatabases } from '../../test/support/databases.ts'
import { applySingle, loneSingle } from './apply-single.ts'

const single = (debit: string, credit: string, amount: bigint, ledger = 1) =>
  ({
    type: 'single',
    id: crypto.randomUUID(),
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    ledger,
  }) satisfies TransferRequest

describe('loneSingle', () => {
  const [a, b] = [crypto.randomUUID(), crypto.randomUUID()]
  it('picks the transfer of a group of one batch of one single transfer, and nothing else', () => {
    const transfer = single(a, b, 1n)
    expect(loneSingle([[transfer]])).toBe(transfer)
    expect(loneSingle([[transfer], [single(a, b, 2n)]])).toBeUndefined()
    expect(loneSingle([[transfer, single(a, b, 2n)]])).toBeUndefined()
    expect(loneSingle([[{ ...transfer, type: 'pending', timeoutSeconds: 5 }]])).toBeUndefined()
    expect(loneSingle([[{ type: 'void', id: crypto.randomUUID(), pendingId: a }]])).toBeUndefined()
    expect(loneSingle([])).toBeUndefined()
  })
})

describeWithDatabases('ledger_apply_single', (target) => {
  let database: Database
  const ids = { peer: '', other: '', settlement: '', elsewhere: '' }
  beforeAll(async () => {
    database = await target.open()
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) ids[key] = crypto.randomUUID()
    await database.sql`insert into ledger_accounts (id, ledger, kind, debits_posted) values
      (${ids.settlement}, 1, 'SETTLEMENT', 100)`
    await database.sql`insert into ledger_accounts (id, ledger, kind, credits_posted) values
      (${ids.peer}, 1, 'PEER', 100), (${ids.other}, 1, 'PEER', 0), (${ids.elsewhere}, 2, 'PEER', 50)`
  })
  afterAll(() => database.close())

  const balances = async () => {
    const rows = await database.sql<{ id: string; d: string; c: string }[]>`
      select id, debits_posted::text as d, credits_posted::text as c from ledger_accounts`
    return Object.fromEntries(rows.map((row) => [row.id, `${row.d}/${row.c}`]))
  }
  const transfers = async () =>
    (await database.sql<{ n: number }[]>`select count(*)::int as n from ledger_transfers`)[0]?.n

  it('moves a plain transfer: both balances, and one POSTED row stamped with the time given', async () => {
    const transfer = single(ids.peer, ids.other, 30n)
    const at = new Date('2026-01-02T03:04:05.000Z')
    expect(await applySingle(database.sql, transfer, at)).toEqual({ ok: true, value: 'created' })
    const after = await balances()
    expect(after[ids.peer]).toBe('30/100')
    expect(after[ids.other]).toBe('0/30')
    const [row] = await database.sql<{ state: string; type: string; created_at: Date }[]>`
      select state, type, created_at from ledger_transfers where id = ${transfer.id}`
    expect(row).toEqual({ state: 'POSTED', type: 'single', created_at: at })
  })

  it('lets a settlement account be debited beyond its credits', async () => {
    const transfer = single(ids.settlement, ids.peer, 500n)
    expect(await applySingle(database.sql, transfer, undefined)).toEqual({
      ok: true,
      value: 'created',
    })
    expect((await balances())[ids.settlement]).toBe('600/0')
  })

  it('leaves every case it does not decide to the general path, with nothing changed', async () => {
    const before = await balances()
    const count = await transfers()
    const used = single(ids.peer, ids.other, 1n)
    expect(await applySingle(database.sql, used, undefined)).toBeDefined()
    const settled = await balances()
    const cases: TransferRequest[] = [
      single(ids.other, ids.peer, 10_000n), // insufficient liquidity
      single(ids.peer, crypto.randomUUID(), 1n), // unknown account
      single(ids.peer, ids.elsewhere, 1n), // another ledger
      single(ids.peer, ids.peer, 1n), // the same account
      { ...used, amount: 2n }, // id already used
      used, // the same transfer again
    ]
    for (const transfer of cases) {
      expect(await applySingle(database.sql, transfer as never, undefined)).toBeUndefined()
    }
    expect(await balances()).toEqual(settled)
    expect(await transfers()).toBe((count ?? 0) + 1)
    expect(settled).not.toEqual(before)
  })
})
