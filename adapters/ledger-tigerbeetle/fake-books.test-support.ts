// A funded set of accounts on a ledger over the fake cluster, and request builders, for the
// ledger's unit tests.
import type { Transfer } from 'tigerbeetle-node'
import { expect } from 'vitest'
import type { Ledger } from '../../application/ports/ledger.ts'
import type { AccountBalance, LedgerAccountKind } from '../../domain/ledger/account.ts'
import { makeFakeClock, type FakeClock } from '../memory/fake-clock.ts'
import { makeFakeTigerbeetle, type FakeTigerbeetle } from './fake-client.test-support.ts'
import { makeTigerbeetleLedger } from './tigerbeetle-ledger.ts'

export const ledgerNumber = 7
export const holdSeconds = 10
export const uuid = (): string => crypto.randomUUID()

export const account = (kind: LedgerAccountKind, id = uuid()) =>
  ({ id, ledger: ledgerNumber, kind }) as const
export const single = (
  debitAccountId: string,
  creditAccountId: string,
  amount: bigint,
  id = uuid(),
) =>
  ({ type: 'single', id, debitAccountId, creditAccountId, amount, ledger: ledgerNumber }) as const
export const pending = (
  debitAccountId: string,
  creditAccountId: string,
  amount: bigint,
  id = uuid(),
) =>
  ({
    ...single(debitAccountId, creditAccountId, amount, id),
    type: 'pending',
    timeoutSeconds: holdSeconds,
  }) as const
export const settle = (type: 'post' | 'void', pendingId: string, id = uuid()) =>
  ({ type, id, pendingId }) as const

export type FakeBooks = {
  readonly clock: FakeClock
  readonly tb: FakeTigerbeetle
  readonly ledger: Ledger
  readonly settlement: string
  /** Funded with 100 from the settlement account. */
  readonly asset: string
  readonly peer: string
  balanceOf(id: string): Promise<AccountBalance | undefined>
  /** The events of the latest create_transfers request. */
  lastRequest(): readonly Transfer[]
}

export async function openFakeBooks(): Promise<FakeBooks> {
  const clock = makeFakeClock()
  const tb = makeFakeTigerbeetle(clock.now())
  const ledger = makeTigerbeetleLedger(tb, { clock })
  const [settlement, asset, peer] = [uuid(), uuid(), uuid()]
  const created = await ledger.createAccounts([
    account('SETTLEMENT', settlement),
    account('ASSET', asset),
    account('PEER', peer),
  ])
  expect(created).toEqual({ ok: true, value: undefined })
  const funded = await ledger.transfer([single(settlement, asset, 100n)])
  expect(funded).toEqual({ ok: true, value: 'created' })
  return {
    clock,
    tb,
    ledger,
    settlement,
    asset,
    peer,
    balanceOf: async (id) => (await ledger.getBalances([id])).get(id),
    lastRequest: () => tb.transferRequests.at(-1) ?? [],
  }
}
