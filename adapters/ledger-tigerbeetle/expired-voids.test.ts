import { beforeEach, describe, expect, it } from 'vitest'
import {
  holdSeconds,
  openFakeBooks,
  pending,
  settle,
  single,
  type FakeBooks,
} from './fake-books.test-support.ts'
import { uuidToU128 } from './ids.ts'

let books: FakeBooks
let ledger: FakeBooks['ledger']
let tb: FakeBooks['tb']
let clock: FakeBooks['clock']
let settlement: string
let asset: string
let peer: string
const balanceOf = (id: string) => books.balanceOf(id)
const lastRequest = () => books.lastRequest()
const holdMs = holdSeconds * 1_000

beforeEach(async () => {
  books = await openFakeBooks()
  ;({ ledger, tb, clock, settlement, asset, peer } = books)
})

// TigerBeetle refuses to post or void an expired hold; the port lets it be voided, once.
describe('an expired hold', () => {
  it('stops counting, cannot be posted, and can be voided once', async () => {
    const hold = pending(asset, peer, 40n)
    await ledger.transfer([hold])
    tb.advance(holdMs)
    expect((await balanceOf(asset))?.debitsPending).toBe(0n)
    expect(await ledger.transfer([settle('post', hold.id)])).toEqual({
      ok: false,
      error: { index: 0, error: 'expired' },
    })
    const voided = settle('void', hold.id)
    expect(await ledger.transfer([voided])).toEqual({ ok: true, value: 'created' })
    // TigerBeetle refused the void; a zero-amount marker under an id derived from the hold's took it.
    expect(lastRequest()[0]).toMatchObject({
      amount: 0n,
      user_data_128: uuidToU128(voided.id),
      code: 2,
    })
    expect(await ledger.transfer([voided])).toEqual({ ok: true, value: 'exists' })
    for (const again of [settle('void', hold.id), settle('post', hold.id)]) {
      expect(await ledger.transfer([single(settlement, asset, 1n), again])).toEqual({
        ok: false,
        error: { index: 1, error: 'already_voided' },
      })
    }
    expect(await balanceOf(asset)).toMatchObject({
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPosted: 100n,
    })
    clock.advance(holdMs)
    const { debits } = await ledger.getAccountTransfers(asset, 10)
    expect(debits.map((record) => [record.type, record.state, record.amount, record.id])).toEqual([
      ['void', 'VOIDED', 40n, voided.id],
      ['pending', 'VOIDED', 40n, hold.id],
    ])
    expect(debits[0]?.pendingId).toBe(hold.id)
  })

  it('voids an expired hold inside a linked batch, with the rest of the batch', async () => {
    const hold = pending(asset, peer, 40n)
    await ledger.transfer([hold])
    tb.advance(holdMs)
    expect(
      await ledger.transfer([
        single(asset, peer, 1n),
        settle('void', hold.id),
        single(asset, peer, 2n),
      ]),
    ).toEqual({ ok: true, value: 'created' })
    expect((await balanceOf(peer))?.creditsPosted).toBe(3n)
  })

  it('lets only one of two concurrent voids of an expired hold through', async () => {
    const hold = pending(asset, peer, 40n)
    await ledger.transfer([hold])
    tb.advance(holdMs)
    const results = await Promise.all([
      ledger.transfer([settle('void', hold.id)]),
      ledger.transfer([settle('void', hold.id)]),
    ])
    expect(results).toContainEqual({ ok: true, value: 'created' })
    expect(results).toContainEqual({ ok: false, error: { index: 0, error: 'already_voided' } })
  })
})
