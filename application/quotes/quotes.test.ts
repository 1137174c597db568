import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryFeeRepository } from '../../adapters/memory/memory-fee-repository.ts'
import { makeMemoryQuoteRepository } from '../../adapters/memory/memory-quote-repository.ts'
import { makeMemoryRates } from '../../adapters/memory/memory-rates.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type { Receivers } from '../ports/receivers.ts'
import { seedWalletAddress } from '../../test/support/seed.ts'
import { makeCreateQuote, type CreateQuoteInput } from './create-quote.ts'
import { makeGetQuote } from './get-quote.ts'
import { makeListQuotes } from './list-quotes.ts'

const lifespanMs = 300_000
const minuteMs = 60_000
const usd = (value: bigint): Amount => ({ value, assetCode: 'USD', assetScale: 2 })
const eur = (value: bigint): Amount => ({ value, assetCode: 'EUR', assetScale: 2 })

/** A Receivers port over a fixed map of URL -> receiver. */
function makeFakeReceivers() {
  const byUrl = new Map<string, Receiver>()
  const receivers: Receivers = {
    async get(url) {
      const receiver = byUrl.get(url)
      return receiver ? ok(receiver) : err('unknown_receiver')
    },
    async create() {
      return err('unknown_wallet_address')
    },
  }
  return { receivers, byUrl }
}

const setup = async () => {
  const clock = makeFakeClock()
  const deps = {
    walletAddresses: makeMemoryWalletAddressRepository(),
    assets: makeMemoryAssetRepository(),
    fees: makeMemoryFeeRepository(),
    quotes: makeMemoryQuoteRepository(),
    rates: makeMemoryRates({ USD: { EUR: 0.91 } }),
    clock,
    ids: randomIds,
    lifespanMs,
  }
  const fake = makeFakeReceivers()
  const { asset, walletAddress } = await seedWalletAddress(deps, clock)
  const createQuote = makeCreateQuote({ ...deps, receivers: fake.receivers })
  // A receiver on this node, USD unless told otherwise, expiring in an hour.
  const addReceiver = (extra: Partial<Receiver> = {}): Receiver => {
    const id = randomIds.uuid()
    const url = `https://wallet.example/bob/incoming-payments/${id}`
    const assetOf = extra.incomingAmount ?? extra.receivedAmount ?? usd(0n)
    const receiver: Receiver = {
      id: url,
      walletAddressUrl: 'https://wallet.example/bob',
      assetCode: assetOf.assetCode,
      assetScale: assetOf.assetScale,
      incomingAmount: null,
      receivedAmount: { ...assetOf, value: 0n },
      completed: false,
      expiresAt: new Date(clock.now() + 60 * minuteMs),
      metadata: null,
      createdAt: new Date(clock.now()),
      updatedAt: new Date(clock.now()),
      ilp: { ilpAddress: 'test.node.abc', sharedSecret: Buffer.alloc(32) },
      localIncomingPaymentId: id,
      ...extra,
    }
    fake.byUrl.set(url, receiver)
    return receiver
  }
  const quote = (receiver: Receiver, extra: Partial<CreateQuoteInput> = {}) =>
    createQuote({ walletAddressId: walletAddress.id, receiver: receiver.id, ...extra })
  const setSendingFee = (fixed: bigint, basisPoints: number) =>
    deps.fees.create({
      id: randomIds.uuid(),
      assetId: asset.id,
      type: 'SENDING',
      fixed,
      basisPoints,
      createdAt: new Date(clock.now()),
    })
  return { deps, asset, walletAddress, addReceiver, quote, setSendingFee }
}

describe('createQuote (LOCAL)', () => {
  it('fixed-send: debits what was asked and stores the quote', async () => {
    const { quote, addReceiver, walletAddress, deps } = await setup()
    const receiver = addReceiver()
    const created = await quote(receiver, { debitAmount: usd(500n) })
    expect(created).toEqual({
      ok: true,
      value: {
        id: expect.any(String),
        walletAddressId: walletAddress.id,
        receiver: receiver.id,
        client: null,
        method: 'LOCAL',
        debitAmount: usd(500n),
        debitAmountMinusFees: 500n,
        receiveAmount: usd(500n),
        estimatedExchangeRate: 1,
        feeId: null,
        ilp: null,
        expiresAt: new Date(deps.clock.now() + lifespanMs),
        createdAt: new Date(deps.clock.now()),
      },
    })
    if (!created.ok) throw new Error('unreachable')
    expect(await makeGetQuote(deps)(created.value.id)).toEqual(created.value)
    expect(await makeGetQuote(deps)('not-a-uuid')).toBeUndefined()
    const listed = await makeListQuotes(deps)(walletAddress.id, {})
    expect(listed.ok && listed.value.items).toEqual([created.value])
  })

  it('fixed-receive across currencies: 500 EUR at USD->EUR 0.91 costs 550 USD', async () => {
    const { quote, addReceiver } = await setup()
    const receiver = addReceiver({ incomingAmount: eur(1000n) })
    expect(await quote(receiver, { receiveAmount: eur(500n) })).toMatchObject({
      ok: true,
      value: { debitAmount: usd(550n), receiveAmount: eur(500n), estimatedExchangeRate: 0.91 },
    })
  })

  it("quotes the receiver's remaining incomingAmount when no amount is given", async () => {
    const { quote, addReceiver } = await setup()
    const receiver = addReceiver({ incomingAmount: eur(1000n), receivedAmount: eur(500n) })
    expect(await quote(receiver)).toMatchObject({
      ok: true,
      value: { debitAmount: usd(550n), receiveAmount: eur(500n) },
    })
    // Open-ended: there is nothing to quote.
    expect(await quote(addReceiver())).toEqual({ ok: false, error: 'invalid_amount' })
  })

  it('adds the sending fee (fixed + basis points) and records it', async () => {
    const { quote, addReceiver, setSendingFee } = await setup()
    const fee = await setSendingFee(10n, 100)
    const receiver = addReceiver({ incomingAmount: eur(1000n) })
    // 550 sent on; fee = ceil(5.5) + 10 = 16.
    expect(await quote(receiver, { receiveAmount: eur(500n) })).toMatchObject({
      ok: true,
      value: { debitAmount: usd(566n), debitAmountMinusFees: 550n, feeId: fee.id },
    })
    // Fixed-send: the same total delivers the same amount.
    expect(await quote(receiver, { debitAmount: usd(566n) })).toMatchObject({
      ok: true,
      value: { debitAmount: usd(566n), receiveAmount: eur(500n), feeId: fee.id },
    })
  })

  it("caps the expiry at the receiver's", async () => {
    const { quote, addReceiver, deps } = await setup()
    const expiresAt = new Date(deps.clock.now() + minuteMs)
    const created = await quote(addReceiver({ expiresAt }), { debitAmount: usd(1n) })
    expect(created.ok && created.value.expiresAt).toEqual(expiresAt)
  })

  it('refuses a debit that delivers nothing, with the minimum send amount', async () => {
    const { quote, addReceiver, setSendingFee } = await setup()
    const receiver = addReceiver({ receivedAmount: eur(0n) })
    expect(await quote(receiver, { debitAmount: usd(1n) })).toEqual({
      ok: false,
      error: 'non_positive_receive_amount',
      minSendAmount: usd(2n),
    })
    await setSendingFee(10n, 100)
    // 2 to send on, plus ceil(0.02) + 10.
    expect(await quote(receiver, { debitAmount: usd(12n) })).toEqual({
      ok: false,
      error: 'non_positive_receive_amount',
      minSendAmount: usd(13n),
    })
    expect(await quote(receiver, { debitAmount: usd(13n) })).toMatchObject({
      ok: true,
      value: { receiveAmount: eur(1n) },
    })
  })

  it('refuses unknown and inactive wallet addresses', async () => {
    const { deps, quote, addReceiver, walletAddress } = await setup()
    const receiver = addReceiver()
    const other = { debitAmount: usd(5n) }
    expect(await quote(receiver, { ...other, walletAddressId: randomIds.uuid() })).toEqual({
      ok: false,
      error: 'unknown_wallet_address',
    })
    expect(await quote(receiver, { ...other, walletAddressId: 'nope' })).toEqual({
      ok: false,
      error: 'unknown_wallet_address',
    })
    await deps.walletAddresses.update(walletAddress.id, { status: 'INACTIVE' }, new Date())
    expect(await quote(receiver, other)).toEqual({ ok: false, error: 'inactive_wallet_address' })
  })

  it.each<[string, Partial<CreateQuoteInput>]>([
    ['both amounts', { debitAmount: usd(5n), receiveAmount: eur(5n) }],
    ['a debit in another asset', { debitAmount: eur(5n) }],
    ['a debit at another scale', { debitAmount: { ...usd(5n), assetScale: 3 } }],
    ['a zero debit', { debitAmount: usd(0n) }],
    ['a negative debit', { debitAmount: usd(-1n) }],
    ['a debit beyond 64 bits', { debitAmount: usd(2n ** 64n) }],
    ['a receive amount in the sender asset', { receiveAmount: usd(5n) }],
    ['a zero receive amount', { receiveAmount: eur(0n) }],
    ['more than the receiver still takes', { receiveAmount: eur(501n) }],
  ])('refuses %s with invalid_amount and stores nothing', async (_, amounts) => {
    const { quote, addReceiver, walletAddress, deps } = await setup()
    const receiver = addReceiver({ incomingAmount: eur(1000n), receivedAmount: eur(500n) })
    expect(await quote(receiver, amounts)).toEqual({ ok: false, error: 'invalid_amount' })
    const listed = await makeListQuotes(deps)(walletAddress.id, {})
    expect(listed.ok && listed.value.items).toEqual([])
  })

  it('refuses a fixed-send that would deliver more than the receiver still takes', async () => {
    const { quote, addReceiver } = await setup()
    const receiver = addReceiver({ incomingAmount: usd(1000n), receivedAmount: usd(600n) })
    expect(await quote(receiver, { debitAmount: usd(401n) })).toEqual({
      ok: false,
      error: 'invalid_amount',
    })
    expect(await quote(receiver, { debitAmount: usd(400n) })).toMatchObject({ ok: true })
  })

  it('refuses unknown, completed, expired and method-less receivers', async () => {
    const { quote, addReceiver, deps, walletAddress } = await setup()
    const amounts = { debitAmount: usd(5n) }
    expect(
      await quote(
        { ...addReceiver(), id: 'https://wallet.example/bob/incoming-payments/x' },
        amounts,
      ),
    ).toEqual({ ok: false, error: 'invalid_receiver' })
    for (const receiver of [
      addReceiver({ completed: true }),
      addReceiver({ expiresAt: new Date(deps.clock.now()) }),
      addReceiver({ ilp: null }),
    ]) {
      expect(await quote(receiver, amounts)).toEqual({ ok: false, error: 'invalid_receiver' })
    }
    const listed = await makeListQuotes(deps)(walletAddress.id, {})
    expect(listed.ok && listed.value.items).toEqual([])
  })

  it('says plainly that a receiver on another node cannot be quoted yet', async () => {
    const { quote, addReceiver } = await setup()
    const remote = addReceiver({ localIncomingPaymentId: null })
    expect(await quote(remote, { debitAmount: usd(5n) })).toEqual({
      ok: false,
      error: 'ilp_quoting_unavailable',
    })
  })

  it('fails with rates_unavailable without a rate or when the rates service fails', async () => {
    const { quote, addReceiver, deps } = await setup()
    const yen = addReceiver({ receivedAmount: { value: 0n, assetCode: 'JPY', assetScale: 0 } })
    expect(await quote(yen, { debitAmount: usd(5n) })).toEqual({
      ok: false,
      error: 'rates_unavailable',
    })
    deps.rates.fail('rates_unavailable')
    const euros = addReceiver({ receivedAmount: eur(0n) })
    expect(await quote(euros, { debitAmount: usd(5n) })).toEqual({
      ok: false,
      error: 'rates_unavailable',
    })
    // Same asset: no rates needed.
    expect(await quote(addReceiver(), { debitAmount: usd(5n) })).toMatchObject({ ok: true })
  })
})
