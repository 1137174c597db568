import { afterAll, beforeAll, expect, it } from 'vitest'
import { makeCreditIncomingPayment } from '../../application/incoming-payments/credit-incoming-payment.ts'
import { describeWithDatabases } from '../../test/support/databases.ts'
import { makeMemoryWorkSignal } from '../memory/memory-work-signal.ts'
import { systemClock } from '../system/system-clock.ts'
import { randomIds } from '../system/random-ids.ts'
import { makePostgresAssetRepository } from './asset-repository.ts'
import type { Database } from './database.ts'
import { makePostgresIncomingPaymentRepository } from './incoming-payment-repository.ts'
import { makePostgresUnitOfWork } from './postgres-unit-of-work.ts'
import { makePostgresWalletAddressRepository } from './wallet-address-repository.ts'
import { makePostgresWebhookEventRepository } from './webhook-event-repository.ts'

describeWithDatabases('postgres unit of work', (target) => {
  let database: Database
  let walletAddressId: string
  const newPayment = () => ({
    id: randomIds.uuid(),
    walletAddressId,
    client: null,
    incomingAmount: { value: 100n, assetCode: 'USD', assetScale: 2 },
    assetCode: 'USD',
    assetScale: 2,
    expiresAt: new Date(Date.now() + 3_600_000),
    metadata: null,
    createdAt: new Date(),
  })
  const completedEvents = async (id: string) =>
    database.sql`select 1 from webhook_events
      where type = 'incoming_payment.completed' and data->>'id' = ${id}`

  beforeAll(async () => {
    database = await target.open({ poolMax: 10 })
    const asset = await makePostgresAssetRepository(database.sql).create({
      id: randomIds.uuid(),
      code: 'USD',
      scale: 2,
      withdrawalThreshold: null,
      liquidityThreshold: null,
      createdAt: new Date(),
    })
    if (!asset.ok) throw new Error('setup failed')
    const walletAddress = await makePostgresWalletAddressRepository(database.sql).create({
      id: randomIds.uuid(),
      url: 'https://wallet.example/uow',
      assetId: asset.value.id,
      publicName: null,
      additionalProperties: [],
      createdAt: new Date(),
    })
    if (!walletAddress.ok) throw new Error('setup failed')
    walletAddressId = walletAddress.value.id
  })
  afterAll(() => database.close())

  it('rolls back the payment and its event together', async () => {
    const unitOfWork = makePostgresUnitOfWork(database.sql)
    const payment = newPayment()
    const failing = unitOfWork.run(async ({ incomingPayments, webhookEvents }) => {
      await incomingPayments.create(payment)
      await webhookEvents.add({
        id: randomIds.uuid(),
        type: 'incoming_payment.created',
        data: { id: payment.id },
        createdAt: new Date(),
      })
      throw new Error('boom')
    })
    await expect(failing).rejects.toThrow('boom')
    expect(await makePostgresIncomingPaymentRepository(database.sql).getById(payment.id)).toBe(
      undefined,
    )
    const events = await makePostgresWebhookEventRepository(database.sql).list({
      limit: 100,
      cursor: undefined,
      direction: 'forward',
      sortOrder: 'ASC',
    })
    expect(events.ok && events.value.items).toEqual([])
  })

  it('stages one completed event for 25 concurrent credits', async () => {
    const payment = await makePostgresIncomingPaymentRepository(database.sql).create(newPayment())
    const credit = makeCreditIncomingPayment({
      unitOfWork: makePostgresUnitOfWork(database.sql),
      signal: makeMemoryWorkSignal(),
      clock: systemClock,
      ids: randomIds,
    })
    // 20 credits of 5 make the 100: exactly one of them completes; the other 5 are refused.
    const results = await Promise.all(Array.from({ length: 25 }, () => credit(payment.id, 5n)))
    expect(results.filter((r) => r.ok && r.value.completed)).toHaveLength(1)
    expect(results.filter((r) => r.ok)).toHaveLength(20)
    expect(await completedEvents(payment.id)).toHaveLength(1)
  })
})
