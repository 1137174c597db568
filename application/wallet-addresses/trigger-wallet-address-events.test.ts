import { describe, expect, it } from 'vitest'
import { seedWalletAddress } from '../../test/support/seed.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
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
import { makeTriggerWalletAddressEvents } from './trigger-wallet-address-events.ts'

const setup = async (batchMax = 100) => {
  const clock = makeFakeClock()
  const walletAddresses = makeMemoryWalletAddressRepository()
  const webhookEvents = makeMemoryWebhookEventRepository()
  const signal = makeMemoryWorkSignal()
  let wakes = 0
  signal.subscribe(webhookWorkTopic, () => (wakes += 1))
  const deps = {
    walletAddresses,
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    unitOfWork: makeMemoryUnitOfWork({
      incomingPayments: makeMemoryIncomingPaymentRepository(),
      webhookEvents,
      walletAddresses,
    }),
    signal,
    clock,
    ids: randomIds,
    batchMax,
  }
  const { asset, walletAddress } = await seedWalletAddress(deps, clock)
  const settlement = settlementAccountId(asset.id)
  await deps.ledger.createAccounts([{ id: settlement, ledger: asset.ledger, kind: 'SETTLEMENT' }])
  const newWalletAddress = async () => {
    const created = await walletAddresses.create({
      id: randomIds.uuid(),
      url: `https://wallet.example/${randomIds.uuid()}`,
      assetId: asset.id,
      publicName: null,
      additionalProperties: [],
      createdAt: new Date(clock.now()),
    })
    if (!created.ok) throw new Error('wallet address')
    return created.value
  }
  /** What the STREAM receiver will do: credit the web-monetization account, ask for a report. */
  const receive = async (walletAddressId: string, amount: bigint) => {
    await deps.ledger.createAccounts([
      { id: walletAddressId, ledger: asset.ledger, kind: 'WEB_MONETIZATION' },
    ])
    const moved = await deps.ledger.transfer([
      {
        type: 'single',
        id: randomIds.uuid(),
        debitAccountId: settlement,
        creditAccountId: walletAddressId,
        amount,
        ledger: asset.ledger,
      },
    ])
    if (!moved.ok) throw new Error(moved.error.error)
    await walletAddresses.scheduleEvents(walletAddressId, new Date(clock.now()))
  }
  const events = async () => {
    const page = await webhookEvents.list(
      { limit: 100, cursor: undefined, direction: 'forward', sortOrder: 'ASC' },
      { types: ['wallet_address.web_monetization'] },
    )
    if (!page.ok) throw new Error(page.error)
    return page.value.items
  }
  return {
    deps,
    asset,
    walletAddress,
    newWalletAddress,
    receive,
    events,
    wakes: () => wakes,
    trigger: makeTriggerWalletAddressEvents(deps),
  }
}

describe('triggerWalletAddressEvents', () => {
  it('reports the money received since the last report, with a withdrawal', async () => {
    const t = await setup()
    await t.receive(t.walletAddress.id, 100n)
    expect(await t.trigger(10)).toEqual({ ok: true, value: 1 })
    const [first] = await t.events()
    expect(first?.data).toEqual({
      walletAddress: {
        id: t.walletAddress.id,
        createdAt: t.walletAddress.createdAt.toISOString(),
        receivedAmount: { value: '100', assetCode: 'USD', assetScale: 2 },
      },
    })
    expect(first?.withdrawal).toEqual({
      accountId: t.walletAddress.id,
      assetId: t.asset.id,
      amount: 100n,
    })
    expect(t.wakes()).toBe(1)
    expect(await t.trigger(10)).toEqual({ ok: true, value: 0 })
    t.deps.clock.advance(1000)
    await t.receive(t.walletAddress.id, 30n)
    expect(await t.trigger(10)).toEqual({ ok: true, value: 1 })
    expect((await t.events()).map((e) => e.withdrawal?.amount)).toEqual([100n, 30n])
  })

  it('processes due wallet addresses with nothing new without an event', async () => {
    const t = await setup()
    const never = await t.newWalletAddress()
    await t.deps.walletAddresses.scheduleEvents(never.id, new Date(t.deps.clock.now()))
    await t.receive(t.walletAddress.id, 5n)
    await t.trigger(10)
    await t.deps.walletAddresses.scheduleEvents(t.walletAddress.id, new Date(t.deps.clock.now()))
    expect(await t.trigger(10)).toEqual({ ok: true, value: 1 })
    expect((await t.events()).map((e) => e.withdrawal?.amount)).toEqual([5n])
    expect(t.wakes()).toBe(1)
  })

  it('waits until a report is due', async () => {
    const t = await setup()
    await t.receive(t.walletAddress.id, 5n)
    const later = new Date(t.deps.clock.now() + 60_000)
    const other = await t.newWalletAddress()
    await t.deps.walletAddresses.scheduleEvents(other.id, later)
    expect(await t.trigger(10)).toEqual({ ok: true, value: 1 })
    t.deps.clock.advance(60_000)
    expect(await t.trigger(10)).toEqual({ ok: true, value: 1 })
  })

  it('processes at most `limit`, in batches', async () => {
    const t = await setup(2)
    for (let i = 0; i < 5; i += 1) await t.receive((await t.newWalletAddress()).id, 1n)
    expect(await t.trigger(1)).toEqual({ ok: true, value: 1 })
    expect(await t.trigger(3)).toEqual({ ok: true, value: 3 })
    expect(await t.trigger(3)).toEqual({ ok: true, value: 1 })
    expect(await t.events()).toHaveLength(5)
  })

  it('reports money once under concurrent triggers', async () => {
    const t = await setup()
    await t.receive(t.walletAddress.id, 8n)
    const results = await Promise.all(Array.from({ length: 4 }, () => t.trigger(10)))
    expect(results.map((r) => r.ok && r.value).reduce((a, b) => Number(a) + Number(b), 0)).toBe(1)
    expect(await t.events()).toHaveLength(1)
  })

  it('refuses a limit that is not a whole number from 0 to 10000', async () => {
    const t = await setup()
    for (const limit of [-1, 1.5, 10_001, Number.NaN]) {
      expect(await t.trigger(limit)).toEqual({ ok: false, error: 'invalid_limit' })
    }
    expect(await t.trigger(0)).toEqual({ ok: true, value: 0 })
  })
})
