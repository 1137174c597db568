import { describe, expect, it, vi } from 'vitest'
import { seedWalletAddress } from '../../test/support/seed.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryIncomingPaymentRepository } from '../../adapters/memory/memory-incoming-payment-repository.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { makeMemoryUnitOfWork } from '../../adapters/memory/memory-unit-of-work.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { makeMemoryWebhookEventRepository } from '../../adapters/memory/memory-webhook-event-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { webhookWorkTopic } from '../ports/webhook-event-repository.ts'
import {
  incomingPaymentWorkTopic,
  makeProcessNextIncomingPayment,
} from '../workers/process-next-incoming-payment.ts'
import { makeWorkerLoop } from '../workers/worker-loop.ts'
import { makeUpdateWalletAddress } from '../wallet-addresses/update-wallet-address.ts'
import { makeApproveIncomingPayment } from './approve-incoming-payment.ts'
import { makeCapExpiryOnDeactivation } from './cap-expiry-on-deactivation.ts'
import { makeCancelIncomingPayment } from './cancel-incoming-payment.ts'
import { makeCompleteIncomingPayment } from './complete-incoming-payment.ts'
import { makeCreateIncomingPayment } from './create-incoming-payment.ts'
import { makeCreditIncomingPayment } from './credit-incoming-payment.ts'
import { makeGetIncomingPayment } from './get-incoming-payment.ts'
import { makeListIncomingPayments } from './list-incoming-payments.ts'
import { makeUpdateIncomingPayment } from './update-incoming-payment.ts'

const expiryMaxMs = 60_000
const usd = (value: bigint) => ({ value, assetCode: 'USD', assetScale: 2 })

const setup = async () => {
  const clock = makeFakeClock()
  const incomingPayments = makeMemoryIncomingPaymentRepository()
  const webhookEvents = makeMemoryWebhookEventRepository()
  const signal = makeMemoryWorkSignal()
  let wakes = 0
  signal.subscribe(webhookWorkTopic, () => (wakes += 1))
  const walletAddresses = makeMemoryWalletAddressRepository()
  const deps = {
    walletAddresses,
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    unitOfWork: makeMemoryUnitOfWork({ incomingPayments, webhookEvents, walletAddresses }),
    incomingPayments,
    signal,
    clock,
    ids: randomIds,
    expiryMaxMs,
    expiryBatchMax: 10,
  }
  const seeded = await seedWalletAddress(deps, clock)
  const createIncomingPayment = makeCreateIncomingPayment(deps)
  const create = async (value: bigint | null = 100n) => {
    const created = await createIncomingPayment({
      walletAddressId: seeded.walletAddress.id,
      incomingAmount: value === null ? null : usd(value),
    })
    if (!created.ok) throw new Error(created.error)
    return created.value
  }
  const events = async () => {
    const page = await webhookEvents.list({
      limit: 100,
      cursor: undefined,
      direction: 'forward',
      sortOrder: 'ASC',
    })
    if (!page.ok) throw new Error('list failed')
    return page.value.items
  }
  return {
    deps,
    clock,
    walletAddress: seeded.walletAddress,
    create,
    events,
    wakes: () => wakes,
    createIncomingPayment,
    getIncomingPayment: makeGetIncomingPayment(deps),
    listIncomingPayments: makeListIncomingPayments(deps),
    updateIncomingPayment: makeUpdateIncomingPayment(deps),
    approveIncomingPayment: makeApproveIncomingPayment(deps),
    cancelIncomingPayment: makeCancelIncomingPayment(deps),
    completeIncomingPayment: makeCompleteIncomingPayment(deps),
    creditIncomingPayment: makeCreditIncomingPayment(deps),
    processNext: makeProcessNextIncomingPayment(deps),
  }
}

describe('creating incoming payments', () => {
  it('creates a PENDING payment, its INCOMING account and a created event', async () => {
    const t = await setup()
    const payment = await t.create(100n)
    expect(payment).toMatchObject({
      walletAddressId: t.walletAddress.id,
      state: 'PENDING',
      incomingAmount: usd(100n),
      receivedAmount: usd(0n),
      expiresAt: new Date(t.clock.now() + expiryMaxMs),
      metadata: null,
    })
    expect((await t.deps.ledger.getBalances([payment.id])).has(payment.id)).toBe(true)
    const [event] = await t.events()
    expect(event).toMatchObject({ type: 'incoming_payment.created', data: { id: payment.id } })
    expect(event?.data['incomingAmount']).toEqual({
      value: '100',
      assetCode: 'USD',
      assetScale: 2,
    })
    expect(t.wakes()).toBe(1)
    expect(await t.getIncomingPayment(payment.id)).toEqual(payment)
  })

  it.each([
    [{ walletAddressId: 'nope' }, 'unknown_wallet_address'],
    [{ walletAddressId: randomIds.uuid() }, 'unknown_wallet_address'],
    [{ incomingAmount: usd(0n) }, 'invalid_amount'],
    [{ incomingAmount: { value: 1n, assetCode: 'EUR', assetScale: 2 } }, 'invalid_amount'],
    [{ expiresAt: new Date(0) }, 'invalid_expiry'],
  ])('refuses %o with %s', async (override, error) => {
    const t = await setup()
    const result = await t.createIncomingPayment({
      walletAddressId: t.walletAddress.id,
      ...override,
    })
    expect(result).toEqual({ ok: false, error })
    expect(await t.events()).toEqual([])
  })

  it('refuses an inactive wallet address', async () => {
    const t = await setup()
    await t.deps.walletAddresses.update(t.walletAddress.id, { status: 'INACTIVE' }, new Date())
    const result = await t.createIncomingPayment({ walletAddressId: t.walletAddress.id })
    expect(result).toEqual({ ok: false, error: 'inactive_wallet_address' })
  })
})

describe('crediting incoming payments', () => {
  it('moves PENDING -> PROCESSING -> COMPLETED and emits completed once', async () => {
    const t = await setup()
    const payment = await t.create(100n)
    const first = await t.creditIncomingPayment(payment.id, 40n)
    expect(first.ok && first.value).toMatchObject({
      completed: false,
      payment: { state: 'PROCESSING', receivedAmount: usd(40n) },
    })
    const second = await t.creditIncomingPayment(payment.id, 60n)
    expect(second.ok && second.value.completed).toBe(true)
    expect(await t.creditIncomingPayment(payment.id, 1n)).toEqual({
      ok: false,
      error: 'wrong_state',
    })
    const completed = (await t.events()).filter((e) => e.type === 'incoming_payment.completed')
    expect(completed.map((e) => e.data['receivedAmount'])).toEqual([
      { value: '100', assetCode: 'USD', assetScale: 2 },
    ])
    // The event asks the ASE to withdraw it all, from the payment's own account.
    expect(completed.map((e) => e.withdrawal)).toEqual([
      { accountId: payment.id, assetId: t.walletAddress.assetId, amount: 100n },
    ])
  })

  it('completes exactly once under 25 concurrent credits, taking no more than the amount', async () => {
    const t = await setup()
    const payment = await t.create(100n)
    const results = await Promise.all(
      Array.from({ length: 25 }, () => t.creditIncomingPayment(payment.id, 5n)),
    )
    expect(results.filter((r) => r.ok && r.value.completed)).toHaveLength(1)
    expect(results.filter((r) => r.ok)).toHaveLength(20)
    const refused = results.flatMap((r) => (r.ok ? [] : [r.error]))
    expect(refused.every((e) => e === 'wrong_state' || e === 'exceeds_incoming_amount')).toBe(true)
    expect((await t.getIncomingPayment(payment.id))?.receivedAmount.value).toBe(100n)
    const events = await t.events()
    expect(events.filter((e) => e.type === 'incoming_payment.completed')).toHaveLength(1)
    expect((await t.getIncomingPayment(payment.id))?.state).toBe('COMPLETED')
  })

  it('refuses a credit beyond the incoming amount and records nothing of it', async () => {
    const t = await setup()
    const payment = await t.create(100n)
    expect((await t.creditIncomingPayment(payment.id, 90n)).ok).toBe(true)
    expect(await t.creditIncomingPayment(payment.id, 11n)).toEqual({
      ok: false,
      error: 'exceeds_incoming_amount',
    })
    const last = await t.creditIncomingPayment(payment.id, 10n)
    expect(last.ok && last.value.completed).toBe(true)
    expect((await t.getIncomingPayment(payment.id))?.receivedAmount.value).toBe(100n)
  })

  it('refuses bad amounts, unknown payments and expired ones', async () => {
    const t = await setup()
    const payment = await t.create(null)
    expect(await t.creditIncomingPayment(payment.id, 0n)).toEqual({
      ok: false,
      error: 'invalid_amount',
    })
    expect(await t.creditIncomingPayment(randomIds.uuid(), 1n)).toEqual({
      ok: false,
      error: 'unknown_incoming_payment',
    })
    t.clock.advance(expiryMaxMs)
    expect(await t.creditIncomingPayment(payment.id, 1n)).toEqual({
      ok: false,
      error: 'wrong_state',
    })
  })
})

describe('changing incoming payments', () => {
  it('updates metadata', async () => {
    const t = await setup()
    const payment = await t.create()
    const updated = await t.updateIncomingPayment({ id: payment.id, metadata: { a: 1 } })
    expect(updated.ok && updated.value.metadata).toEqual({ a: 1 })
    expect(await t.updateIncomingPayment({ id: randomIds.uuid(), metadata: null })).toEqual({
      ok: false,
      error: 'unknown_incoming_payment',
    })
  })

  it('completes manually, with an event only when money came in', async () => {
    const t = await setup()
    const empty = await t.create()
    expect((await t.completeIncomingPayment(empty.id)).ok).toBe(true)
    const funded = await t.create()
    await t.creditIncomingPayment(funded.id, 5n)
    const completed = await t.completeIncomingPayment(funded.id)
    expect(completed.ok && completed.value.state).toBe('COMPLETED')
    expect(await t.completeIncomingPayment(funded.id)).toEqual({
      ok: false,
      error: 'wrong_state',
    })
    const completedEvents = (await t.events()).filter(
      (e) => e.type === 'incoming_payment.completed',
    )
    expect(completedEvents.map((e) => e.withdrawal)).toEqual([
      { accountId: funded.id, assetId: t.walletAddress.assetId, amount: 5n },
    ])
  })

  it('approves or cancels PENDING payments, as Rafiki does', async () => {
    const t = await setup()
    const a = await t.create()
    const approved = await t.approveIncomingPayment(a.id)
    const approvedAt = new Date(t.clock.now())
    expect(approved.ok && approved.value.approvedAt).toEqual(approvedAt)
    t.clock.advance(1000)
    const again = await t.approveIncomingPayment(a.id)
    expect(again.ok && again.value.approvedAt).toEqual(approvedAt)
    expect(await t.cancelIncomingPayment(a.id)).toEqual({ ok: false, error: 'already_actioned' })
    const b = await t.create()
    const cancelled = await t.cancelIncomingPayment(b.id)
    expect(cancelled.ok && cancelled.value).toMatchObject({
      state: 'PENDING',
      cancelledAt: new Date(t.clock.now()),
    })
    expect(await t.approveIncomingPayment(b.id)).toEqual({ ok: false, error: 'already_actioned' })
    const c = await t.create()
    await t.creditIncomingPayment(c.id, 1n)
    expect(await t.approveIncomingPayment(c.id)).toEqual({ ok: false, error: 'wrong_state' })
    expect(await t.cancelIncomingPayment(c.id)).toEqual({ ok: false, error: 'wrong_state' })
    expect(await t.cancelIncomingPayment('x')).toEqual({
      ok: false,
      error: 'unknown_incoming_payment',
    })
  })

  it('lists a wallet address payments', async () => {
    const t = await setup()
    const first = await t.create()
    t.clock.advance(1)
    const second = await t.create()
    const page = await t.listIncomingPayments(t.walletAddress.id, {})
    expect(page.ok && page.value.items.map((p) => p.id)).toEqual([second.id, first.id])
    expect(await t.listIncomingPayments(t.walletAddress.id, { after: 'bad' })).toEqual({
      ok: false,
      error: 'invalid_cursor',
    })
  })
})

describe('wallet address deactivation', () => {
  it('caps the expiry of open payments to the grace period', async () => {
    const t = await setup()
    const payment = await t.create()
    const updateWalletAddress = makeUpdateWalletAddress({
      ...t.deps,
      onDeactivated: makeCapExpiryOnDeactivation({ ...t.deps, gracePeriodMs: 1000 }),
    })
    await updateWalletAddress({ id: t.walletAddress.id, status: 'INACTIVE' })
    const capped = await t.getIncomingPayment(payment.id)
    expect(capped?.expiresAt).toEqual(new Date(t.clock.now() + 1000))
  })
})

describe('the expiry worker step', () => {
  it('expires due payments, with an event for those that received money', async () => {
    const t = await setup()
    const empty = await t.create()
    const funded = await t.create()
    await t.creditIncomingPayment(funded.id, 5n)
    expect(await t.processNext()).toBe(false)
    t.clock.advance(expiryMaxMs)
    expect(await t.processNext()).toBe(true)
    expect(await t.processNext()).toBe(false)
    expect((await t.getIncomingPayment(empty.id))?.state).toBe('EXPIRED')
    expect((await t.getIncomingPayment(funded.id))?.state).toBe('EXPIRED')
    const expired = (await t.events()).filter((e) => e.type === 'incoming_payment.expired')
    expect(expired.map((e) => e.data['id'])).toEqual([funded.id])
    expect(expired.map((e) => e.withdrawal)).toEqual([
      { accountId: funded.id, assetId: t.walletAddress.assetId, amount: 5n },
    ])
  })

  it('runs under the worker loop and is woken by its topic', async () => {
    const t = await setup()
    const payment = await t.create()
    const silent = { debug() {}, info() {}, warn() {}, error() {} }
    const loop = makeWorkerLoop(
      { processNext: t.processNext, signal: t.deps.signal, logger: silent },
      { name: 'incoming_payment', topic: incomingPaymentWorkTopic, concurrency: 1, idleMs: 60_000 },
    )
    loop.start()
    t.clock.advance(expiryMaxMs)
    t.deps.signal.notify(incomingPaymentWorkTopic)
    await vi.waitFor(async () =>
      expect((await t.getIncomingPayment(payment.id))?.state).toBe('EXPIRED'),
    )
    await loop.stop()
  })
})
