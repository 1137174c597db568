import { beforeEach, describe, expect, it } from 'vitest'
import {
  ledgerNumber,
  openFakeBooks,
  pending,
  settle,
  single,
  uuid,
  type FakeBooks,
} from './fake-books.test-support.ts'
import { makeTigerbeetleLedger } from './tigerbeetle-ledger.ts'

let books: FakeBooks
let ledger: FakeBooks['ledger']
let tb: FakeBooks['tb']
let clock: FakeBooks['clock']
let settlement: string
let asset: string
let peer: string

beforeEach(async () => {
  books = await openFakeBooks()
  ;({ ledger, tb, clock, settlement, asset, peer } = books)
})

describe('getBalances', () => {
  it('returns the accounts that exist, keyed by the id as asked', async () => {
    const upper = peer.toUpperCase()
    const balances = await ledger.getBalances([upper, uuid(), 'not-a-uuid', asset])
    expect([...balances.keys()].sort()).toEqual([upper, asset].sort())
    expect(balances.get(asset)?.creditsPosted).toBe(100n)
  })

  it('splits lookups into requests of eventsPerRequestMax ids', async () => {
    const small = makeTigerbeetleLedger(tb, { eventsPerRequestMax: 1 })
    const balances = await small.getBalances([asset, peer, settlement])
    expect(balances.size).toBe(3)
  })
})

describe('getAccountTransfers', () => {
  it('lists debits and credits newest first, with type, state and settlement', async () => {
    const posted = pending(asset, peer, 10n)
    const voided = pending(asset, peer, 5n)
    const open = pending(peer, asset, 1n)
    await ledger.transfer([single(asset, peer, 20n)])
    await ledger.transfer([posted])
    await ledger.transfer([voided])
    await ledger.transfer([settle('post', posted.id)])
    await ledger.transfer([settle('void', voided.id)])
    await ledger.transfer([open])

    const { debits, credits } = await ledger.getAccountTransfers(asset, 10)
    expect(debits.map((record) => [record.type, record.state, record.amount])).toEqual([
      ['void', 'VOIDED', 5n],
      ['post', 'POSTED', 10n],
      ['pending', 'VOIDED', 5n],
      ['pending', 'POSTED', 10n],
      ['single', 'POSTED', 20n],
    ])
    expect(credits.map((record) => [record.type, record.state])).toEqual([
      ['pending', 'PENDING'],
      ['single', 'POSTED'],
    ])
    const [voidRecord] = debits
    expect(voidRecord).toMatchObject({
      debitAccountId: asset,
      creditAccountId: peer,
      ledger: ledgerNumber,
      pendingId: voided.id,
      expiresAt: null,
    })
    const [openRecord] = credits
    expect(openRecord?.id).toBe(open.id)
    expect(openRecord?.pendingId).toBeNull()
    expect(openRecord?.expiresAt?.getTime()).toBe((openRecord?.createdAt.getTime() ?? 0) + 10_000)
  })

  it('reads an unsettled hold past its timeout as VOIDED', async () => {
    await ledger.transfer([pending(asset, peer, 10n)])
    clock.advance(10_001)
    const { debits } = await ledger.getAccountTransfers(asset, 10)
    expect(debits[0]?.state).toBe('VOIDED')
  })

  it('limits each side, newest first', async () => {
    await ledger.transfer([single(asset, peer, 1n)])
    await ledger.transfer([single(asset, peer, 2n)])
    await ledger.transfer([single(peer, asset, 1n)])
    const { debits, credits } = await ledger.getAccountTransfers(asset, 1)
    expect(debits.map((record) => record.amount)).toEqual([2n])
    expect(credits.map((record) => record.debitAccountId)).toEqual([peer])
  })

  it('lists nothing for an unknown or malformed id', async () => {
    expect(await ledger.getAccountTransfers(uuid(), 5)).toEqual({ debits: [], credits: [] })
    expect(await ledger.getAccountTransfers('nope', 5)).toEqual({ debits: [], credits: [] })
  })
})
