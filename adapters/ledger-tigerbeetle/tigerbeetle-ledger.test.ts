import { amount_max, CreateTransferStatus, TransferFlags } from 'tigerbeetle-node'
import { beforeEach, describe, expect, it } from 'vitest'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import { accountCodeOf, accountFlagsOf } from './codes.ts'
import {
  account,
  ledgerNumber,
  openFakeBooks,
  pending,
  settle,
  single,
  uuid,
  type FakeBooks,
} from './fake-books.test-support.ts'
import { uuidToU128 } from './ids.ts'
import { makeTigerbeetleLedger } from './tigerbeetle-ledger.ts'

const S = CreateTransferStatus

let books: FakeBooks
let ledger: FakeBooks['ledger']
let tb: FakeBooks['tb']
let settlement: string
let asset: string
let peer: string
const balanceOf = (id: string) => books.balanceOf(id)
const lastRequest = () => books.lastRequest()

beforeEach(async () => {
  books = await openFakeBooks()
  ;({ ledger, tb, settlement, asset, peer } = books)
})

describe('createAccounts', () => {
  it('writes the kind as code and the balance limit as flags, on the asset ledger', async () => {
    const [stored] = await tb.lookupAccounts([uuidToU128(settlement)])
    expect(stored).toMatchObject({
      ledger: ledgerNumber,
      code: accountCodeOf.SETTLEMENT,
      flags: accountFlagsOf('SETTLEMENT'),
    })
    const [liquidity] = await tb.lookupAccounts([uuidToU128(peer)])
    expect(liquidity).toMatchObject({ code: accountCodeOf.PEER, flags: accountFlagsOf('PEER') })
  })

  it('leaves an existing account as it is, and refuses one with other fields by index', async () => {
    expect(await ledger.createAccounts([account('ASSET', asset)])).toEqual({
      ok: true,
      value: undefined,
    })
    expect(await ledger.createAccounts([account('INCOMING'), account('OUTGOING', peer)])).toEqual({
      ok: false,
      error: { index: 1, error: 'exists_with_different_fields' },
    })
    expect(
      await ledger.createAccounts([{ id: asset, ledger: ledgerNumber + 1, kind: 'ASSET' }]),
    ).toEqual({ ok: false, error: { index: 0, error: 'exists_with_different_fields' } })
  })

  it('asserts on accounts TigerBeetle cannot hold', async () => {
    const nil = '00000000-0000-0000-0000-000000000000'
    await expect(ledger.createAccounts([account('ASSET', nil)])).rejects.toThrow(/reserves/)
    await expect(ledger.createAccounts([{ ...account('ASSET'), ledger: 0 }])).rejects.toThrow(
      /ledger/,
    )
  })
})

describe('transfer', () => {
  it('moves money and reports created', async () => {
    expect(await ledger.transfer([single(asset, peer, 30n)])).toEqual({
      ok: true,
      value: 'created',
    })
    expect(await balanceOf(asset)).toEqual({
      debitsPending: 0n,
      debitsPosted: 30n,
      creditsPending: 0n,
      creditsPosted: 100n,
    })
    expect((await balanceOf(settlement))?.debitsPosted).toBe(100n)
  })

  it('links every event of a batch but the last', async () => {
    await ledger.transfer([
      single(asset, peer, 1n),
      single(asset, peer, 2n),
      single(peer, asset, 3n),
    ])
    expect(lastRequest().map((event) => event.flags & TransferFlags.linked)).toEqual([
      TransferFlags.linked,
      TransferFlags.linked,
      0,
    ])
  })

  it('reports the failing event of a batch, applies none of it', async () => {
    const result = await ledger.transfer([single(asset, peer, 60n), single(asset, peer, 60n)])
    expect(result).toEqual({ ok: false, error: { index: 1, error: 'insufficient_balance' } })
    expect((await balanceOf(peer))?.creditsPosted).toBe(0n)
  })

  it('maps a scripted exceeds_credits at index 1 to insufficient_balance at index 1', async () => {
    tb.scriptTransfers([S.linked_event_failed, S.exceeds_credits])
    expect(await ledger.transfer([single(asset, peer, 1n), single(asset, peer, 1n)])).toEqual({
      ok: false,
      error: { index: 1, error: 'insufficient_balance' },
    })
  })

  it('reports exists when the whole batch had been applied, and applies nothing again', async () => {
    const batch = [single(asset, peer, 10n), single(asset, peer, 20n), single(peer, asset, 5n)]
    expect(await ledger.transfer(batch)).toEqual({ ok: true, value: 'created' })
    const before = await ledger.getBalances([asset, peer])
    expect(await ledger.transfer(batch)).toEqual({ ok: true, value: 'exists' })
    expect(await ledger.getBalances([asset, peer])).toEqual(before)
  })

  it('settles a full retry with one failed request and one lookup', async () => {
    const hold = pending(asset, peer, 10n)
    const batch = [single(asset, peer, 1n), hold, settle('post', hold.id)]
    await ledger.transfer(batch)
    const sent = tb.transferRequests.length
    expect(await ledger.transfer(batch)).toEqual({ ok: true, value: 'exists' })
    expect(tb.transferRequests.length).toBe(sent + 1)
    expect((await balanceOf(peer))?.creditsPosted).toBe(11n)
  })

  it('refuses a retry whose type changed, even though TigerBeetle only says flags', async () => {
    const first = single(asset, peer, 10n)
    await ledger.transfer([first])
    expect(
      await ledger.transfer([
        single(asset, peer, 1n),
        { ...first, type: 'pending', timeoutSeconds: 5 },
      ]),
    ).toEqual({
      ok: false,
      error: { index: 1, error: 'exists_with_different_fields' },
    })
  })

  it('applies the rest of a batch whose first transfer had been applied alone', async () => {
    const first = single(asset, peer, 10n)
    await ledger.transfer([first])
    expect(await ledger.transfer([first, single(asset, peer, 5n)])).toEqual({
      ok: true,
      value: 'created',
    })
    expect((await balanceOf(peer))?.creditsPosted).toBe(15n)
  })

  it('refuses a retry with other fields, at its index in the batch', async () => {
    const first = single(asset, peer, 10n)
    const second = single(asset, peer, 20n)
    await ledger.transfer([first, second])
    expect(await ledger.transfer([first, { ...second, amount: 21n }])).toEqual({
      ok: false,
      error: { index: 1, error: 'exists_with_different_fields' },
    })
  })

  it('holds, then posts the whole hold through the pending id', async () => {
    const hold = pending(asset, peer, 40n)
    expect(await ledger.transfer([hold])).toEqual({ ok: true, value: 'created' })
    expect(lastRequest()[0]).toMatchObject({
      flags: TransferFlags.pending,
      timeout: 10,
      amount: 40n,
    })
    expect((await balanceOf(asset))?.debitsPending).toBe(40n)
    const post = settle('post', hold.id)
    expect(await ledger.transfer([post])).toEqual({ ok: true, value: 'created' })
    expect(lastRequest()[0]).toMatchObject({
      flags: TransferFlags.post_pending_transfer,
      pending_id: uuidToU128(hold.id),
      amount: amount_max,
      debit_account_id: 0n,
      credit_account_id: 0n,
      ledger: 0,
      code: 0,
    })
    expect(await balanceOf(asset)).toMatchObject({ debitsPending: 0n, debitsPosted: 40n })
    expect(await ledger.transfer([post])).toEqual({ ok: true, value: 'exists' })
    expect(await ledger.transfer([settle('post', hold.id)])).toEqual({
      ok: false,
      error: { index: 0, error: 'already_posted' },
    })
  })

  it('voids a hold, after which it cannot be posted', async () => {
    const hold = pending(asset, peer, 40n)
    await ledger.transfer([hold])
    expect(await ledger.transfer([settle('void', hold.id)])).toEqual({ ok: true, value: 'created' })
    expect(lastRequest()[0]).toMatchObject({
      flags: TransferFlags.void_pending_transfer,
      amount: 0n,
    })
    expect(await balanceOf(asset)).toMatchObject({ debitsPending: 0n, debitsPosted: 0n })
    expect(await ledger.transfer([settle('post', hold.id)])).toEqual({
      ok: false,
      error: { index: 0, error: 'already_voided' },
    })
  })

  it('reports unknown pending transfers, accounts and ledgers', async () => {
    expect(await ledger.transfer([settle('post', uuid())])).toEqual({
      ok: false,
      error: { index: 0, error: 'unknown_pending_transfer' },
    })
    expect(await ledger.transfer([single(asset, uuid(), 1n)])).toEqual({
      ok: false,
      error: { index: 0, error: 'unknown_account' },
    })
    const other = { id: uuid(), ledger: ledgerNumber + 1, kind: 'PEER' } as const
    await ledger.createAccounts([other])
    expect(await ledger.transfer([single(asset, other.id, 1n)])).toEqual({
      ok: false,
      error: { index: 0, error: 'different_ledgers' },
    })
    expect(
      await ledger.transfer([{ ...single(asset, peer, 1n), ledger: ledgerNumber + 1 }]),
    ).toEqual({ ok: false, error: { index: 0, error: 'different_ledgers' } })
  })

  it('checks requests before sending anything', async () => {
    const sent = tb.transferRequests.length
    const nil = '00000000-0000-0000-0000-000000000000'
    const cases: [TransferRequest, string][] = [
      [single(asset, peer, 0n), 'invalid_amount'],
      [single(asset, asset, 1n), 'same_account'],
      [{ ...pending(asset, peer, 1n), timeoutSeconds: 0 }, 'invalid_timeout'],
      [{ ...pending(asset, peer, 1n), timeoutSeconds: 2 ** 32 }, 'invalid_timeout'],
      [single(asset, peer, 1n, nil), 'invalid_id'],
      [settle('void', 'ffffffff-ffff-ffff-ffff-ffffffffffff'), 'invalid_id'],
      [settle('post', 'not-a-uuid'), 'invalid_id'],
    ]
    for (const [request, error] of cases) {
      expect(await ledger.transfer([single(asset, peer, 1n), request])).toEqual({
        ok: false,
        error: { index: 1, error },
      })
    }
    expect(tb.transferRequests.length).toBe(sent)
  })

  it('burns the id of a transfer refused on the state of the day (TigerBeetle id_already_failed)', async () => {
    const tooMuch = single(asset, peer, 1_000n)
    expect(await ledger.transfer([tooMuch])).toEqual({
      ok: false,
      error: { index: 0, error: 'insufficient_balance' },
    })
    await ledger.transfer([single(settlement, asset, 1_000n)])
    expect(await ledger.transfer([tooMuch])).toEqual({
      ok: false,
      error: { index: 0, error: 'exists_with_different_fields' },
    })
  })

  it('groups concurrent batches into one request, each with its own outcome', async () => {
    const sent = tb.transferRequests.length
    const results = await Promise.all(
      Array.from({ length: 12 }, () => ledger.transfer([single(asset, peer, 10n)])),
    )
    expect(tb.transferRequests.length).toBe(sent + 1)
    expect(lastRequest()).toHaveLength(12)
    expect(results.filter((result) => result.ok)).toHaveLength(10)
    expect(results.slice(10)).toEqual([
      { ok: false, error: { index: 0, error: 'insufficient_balance' } },
      { ok: false, error: { index: 0, error: 'insufficient_balance' } },
    ])
  })

  it('asserts on statuses only a mistake of ours could cause', async () => {
    tb.scriptTransfers([S.timestamp_must_be_zero])
    await expect(ledger.transfer([single(asset, peer, 1n)])).rejects.toThrow(
      /timestamp_must_be_zero/,
    )
  })

  it('asserts on batches that cannot be one request', async () => {
    await expect(ledger.transfer([])).rejects.toThrow(/1\.\.8189/)
    const small = makeTigerbeetleLedger(tb, { eventsPerRequestMax: 2 })
    const three = [single(asset, peer, 1n), single(asset, peer, 1n), single(asset, peer, 1n)]
    await expect(small.transfer(three)).rejects.toThrow(/1\.\.2 transfers .*, not 3/)
  })
})

describe('close', () => {
  it('waits for work in flight, then destroys the client; later use is a bug', async () => {
    const transfer = ledger.transfer([single(asset, peer, 1n)])
    const closed = ledger.close()
    expect(tb.destroyed()).toBe(false)
    expect(await transfer).toEqual({ ok: true, value: 'created' })
    await closed
    expect(tb.destroyed()).toBe(true)
    expect(() => ledger.getBalances([asset])).toThrow(/after close/)
    await ledger.close()
  })
})
