import { describe, expect, it } from 'vitest'
import { seedWalletAddress } from '../../test/support/seed.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { availableLiquidity } from '../../domain/ledger/account.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryIncomingPaymentRepository } from '../../adapters/memory/memory-incoming-payment-repository.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { makeMemoryUnitOfWork } from '../../adapters/memory/memory-unit-of-work.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { makeMemoryWebhookEventRepository } from '../../adapters/memory/memory-webhook-event-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { makeCompleteIncomingPayment } from '../incoming-payments/complete-incoming-payment.ts'
import { makeCreateIncomingPayment } from '../incoming-payments/create-incoming-payment.ts'
import { makeCreditIncomingPayment } from '../incoming-payments/credit-incoming-payment.ts'
import { makeProcessNextIncomingPayment } from '../workers/process-next-incoming-payment.ts'
import { makeCreateIncomingPaymentWithdrawal } from './create-incoming-payment-withdrawal.ts'
import { makeCreateWalletAddressWithdrawal } from './create-wallet-address-withdrawal.ts'
import { makeSettleLiquidityWithdrawal } from './settle-liquidity-withdrawal.ts'

const expiryMaxMs = 60_000

const setup = async () => {
  const clock = makeFakeClock()
  const incomingPayments = makeMemoryIncomingPaymentRepository()
  const webhookEvents = makeMemoryWebhookEventRepository()
  const walletAddresses = makeMemoryWalletAddressRepository()
  const deps = {
    walletAddresses,
    incomingPayments,
    webhookEvents,
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    unitOfWork: makeMemoryUnitOfWork({ incomingPayments, webhookEvents, walletAddresses }),
    signal: makeMemoryWorkSignal(),
    clock,
    ids: randomIds,
    expiryMaxMs,
    expiryBatchMax: 10,
  }
  const { asset, walletAddress } = await seedWalletAddress(deps, clock)
  const settlement = settlementAccountId(asset.id)
  await deps.ledger.createAccounts([{ id: settlement, ledger: asset.ledger, kind: 'SETTLEMENT' }])
  const createIncomingPayment = makeCreateIncomingPayment(deps)
  const creditIncomingPayment = makeCreditIncomingPayment(deps)
  /** What the connector will do: move money into the account, then record it. */
  const receive = async (paymentId: string, amount: bigint) => {
    const moved = await deps.ledger.transfer([
      {
        type: 'single',
        id: randomIds.uuid(),
        debitAccountId: settlement,
        creditAccountId: paymentId,
        amount,
        ledger: asset.ledger,
      },
    ])
    if (!moved.ok) throw new Error(moved.error.error)
    const credited = await creditIncomingPayment(paymentId, amount)
    if (!credited.ok) throw new Error(credited.error)
  }
  const newPayment = async (incomingValue: bigint | null = null) => {
    const created = await createIncomingPayment({
      walletAddressId: walletAddress.id,
      incomingAmount:
        incomingValue === null ? null : { value: incomingValue, assetCode: 'USD', assetScale: 2 },
    })
    if (!created.ok) throw new Error(created.error)
    return created.value
  }
  const available = async (accountId: string) => {
    const balance = (await deps.ledger.getBalances([accountId])).get(accountId)
    return balance && availableLiquidity(balance)
  }
  return {
    deps,
    asset,
    walletAddress,
    settlement,
    receive,
    newPayment,
    available,
    complete: makeCompleteIncomingPayment(deps),
    expireDue: makeProcessNextIncomingPayment(deps),
    withdrawPayment: makeCreateIncomingPaymentWithdrawal(deps),
    withdrawWalletAddress: makeCreateWalletAddressWithdrawal(deps),
    post: makeSettleLiquidityWithdrawal('post', deps),
    void: makeSettleLiquidityWithdrawal('void', deps),
  }
}

describe('createIncomingPaymentWithdrawal', () => {
  it('holds what a completed payment received, under the id of its event', async () => {
    const t = await setup()
    const payment = await t.newPayment(300n)
    await t.receive(payment.id, 300n)
    const event = await t.deps.webhookEvents.latestWithdrawal(payment.id, [
      'incoming_payment.completed',
    ])
    if (!event) throw new Error('no completed event')
    const input = { incomingPaymentId: payment.id, timeoutSeconds: 60 }
    expect(await t.withdrawPayment(input)).toEqual({ ok: true, value: undefined })
    expect(await t.available(payment.id)).toBe(0n)
    // The same request again is a success that moves nothing more.
    expect(await t.withdrawPayment(input)).toEqual({ ok: true, value: undefined })
    expect(await t.withdrawPayment({ ...input, timeoutSeconds: 5 })).toEqual({
      ok: false,
      error: 'transfer_exists',
    })
    expect(await t.post(event.id)).toEqual({ ok: true, value: undefined })
    const [balance] = (await t.deps.ledger.getBalances([payment.id])).values()
    expect(balance).toEqual({
      debitsPending: 0n,
      debitsPosted: 300n,
      creditsPending: 0n,
      creditsPosted: 300n,
    })
    expect(await t.withdrawPayment(input)).toEqual({ ok: true, value: undefined })
    expect(await t.void(event.id)).toEqual({ ok: false, error: 'already_posted' })
  })

  it('withdraws an expired payment at once with timeoutSeconds 0', async () => {
    const t = await setup()
    const payment = await t.newPayment()
    await t.receive(payment.id, 40n)
    t.deps.clock.advance(expiryMaxMs)
    expect(await t.expireDue()).toBe(true)
    expect(await t.withdrawPayment({ incomingPaymentId: payment.id, timeoutSeconds: 0 })).toEqual({
      ok: true,
      value: undefined,
    })
    const balance = (await t.deps.ledger.getBalances([payment.id])).get(payment.id)
    expect(balance?.debitsPosted).toBe(40n)
  })

  it('can be voided, giving the money back to the payment account', async () => {
    const t = await setup()
    const payment = await t.newPayment()
    await t.receive(payment.id, 9n)
    await t.complete(payment.id)
    await t.withdrawPayment({ incomingPaymentId: payment.id, timeoutSeconds: 60 })
    const event = await t.deps.webhookEvents.latestWithdrawal(payment.id, [
      'incoming_payment.completed',
    ])
    expect(await t.void(event?.id ?? '')).toEqual({ ok: true, value: undefined })
    expect(await t.available(payment.id)).toBe(9n)
  })

  it('refuses unknown, unsettled and empty payments, and bad timeouts', async () => {
    const t = await setup()
    const withdraw = (incomingPaymentId: string, timeoutSeconds = 60) =>
      t.withdrawPayment({ incomingPaymentId, timeoutSeconds })
    expect(await withdraw('nope')).toEqual({ ok: false, error: 'unknown_incoming_payment' })
    expect(await withdraw(randomIds.uuid())).toEqual({
      ok: false,
      error: 'unknown_incoming_payment',
    })
    const open = await t.newPayment()
    await t.receive(open.id, 5n)
    expect(await withdraw(open.id)).toEqual({ ok: false, error: 'incoming_payment_not_settled' })
    const empty = await t.newPayment()
    await t.complete(empty.id)
    expect(await withdraw(empty.id)).toEqual({ ok: false, error: 'nothing_to_withdraw' })
    await t.complete(open.id)
    expect(await withdraw(open.id, -1)).toEqual({ ok: false, error: 'invalid_timeout' })
    expect(await withdraw(open.id, 1.5)).toEqual({ ok: false, error: 'invalid_timeout' })
    expect(await t.available(open.id)).toBe(5n)
  })
})

describe('createWalletAddressWithdrawal', () => {
  const fundWebMonetization = async (t: Awaited<ReturnType<typeof setup>>, amount: bigint) => {
    const { walletAddress, asset } = t
    await t.deps.ledger.createAccounts([
      { id: walletAddress.id, ledger: asset.ledger, kind: 'WEB_MONETIZATION' },
    ])
    await t.deps.ledger.transfer([
      {
        type: 'single',
        id: randomIds.uuid(),
        debitAccountId: t.settlement,
        creditAccountId: walletAddress.id,
        amount,
        ledger: asset.ledger,
      },
    ])
  }

  it('withdraws the whole web-monetization balance, pending or at once', async () => {
    const t = await setup()
    await fundWebMonetization(t, 250n)
    const id = randomIds.uuid()
    const input = { walletAddressId: t.walletAddress.id, id, timeoutSeconds: 30 }
    expect(await t.withdrawWalletAddress(input)).toEqual({
      ok: true,
      value: { id, amount: 250n, walletAddress: t.walletAddress },
    })
    expect(await t.available(t.walletAddress.id)).toBe(0n)
    const next = { ...input, id: randomIds.uuid() }
    expect(await t.withdrawWalletAddress(next)).toEqual({ ok: false, error: 'amount_zero' })
    expect(await t.void(id)).toEqual({ ok: true, value: undefined })
    const atOnce = await t.withdrawWalletAddress({ ...next, timeoutSeconds: 0 })
    expect(atOnce.ok && atOnce.value.amount).toBe(250n)
    const balance = (await t.deps.ledger.getBalances([t.walletAddress.id])).get(t.walletAddress.id)
    expect(balance?.debitsPosted).toBe(250n)
  })

  it('refuses a wallet address with no web-monetization account yet, as a zero balance', async () => {
    const t = await setup()
    const input = { walletAddressId: t.walletAddress.id, id: randomIds.uuid(), timeoutSeconds: 0 }
    expect(await t.withdrawWalletAddress(input)).toEqual({ ok: false, error: 'amount_zero' })
  })

  it('refuses unknown wallet addresses, bad ids and bad timeouts', async () => {
    const t = await setup()
    await fundWebMonetization(t, 1n)
    const input = { walletAddressId: t.walletAddress.id, id: randomIds.uuid(), timeoutSeconds: 0 }
    const refused = (override: Partial<typeof input>) =>
      t.withdrawWalletAddress({ ...input, ...override })
    expect(await refused({ walletAddressId: 'nope' })).toEqual({
      ok: false,
      error: 'unknown_wallet_address',
    })
    expect(await refused({ walletAddressId: randomIds.uuid() })).toEqual({
      ok: false,
      error: 'unknown_wallet_address',
    })
    expect(await refused({ timeoutSeconds: -5 })).toEqual({ ok: false, error: 'invalid_timeout' })
    expect(await refused({ id: 'not-a-uuid' })).toEqual({ ok: false, error: 'invalid_id' })
    expect(await t.available(t.walletAddress.id)).toBe(1n)
  })
})
