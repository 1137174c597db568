import { describe, expect, it } from 'vitest'
import { makeMemoryIncomingPaymentRepository } from '../../adapters/memory/memory-incoming-payment-repository.ts'
import { makeMemoryPaymentRepository } from '../../adapters/memory/memory-payment-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { makeListPayments, paymentFilterValuesMax } from './list-payments.ts'

const setup = async () => {
  const incomingPayments = makeMemoryIncomingPaymentRepository()
  const listPayments = makeListPayments({
    payments: makeMemoryPaymentRepository({ incomingPayments: incomingPayments.all }),
  })
  let ms = Date.UTC(2025, 0, 1)
  const create = (walletAddressId: string) =>
    incomingPayments.create({
      id: randomIds.uuid(),
      walletAddressId,
      client: null,
      incomingAmount: null,
      assetCode: 'USD',
      assetScale: 2,
      expiresAt: new Date(ms + 60_000),
      metadata: null,
      createdAt: new Date((ms += 1000)),
    })
  const ids = async (args: Parameters<typeof listPayments>[0]) => {
    const page = await listPayments(args)
    if (!page.ok) throw new Error(page.error)
    return page.value.items.map((payment) => payment.id)
  }
  return { listPayments, create, ids }
}

describe('listPayments', () => {
  it('lists incoming payments newest first, as payments', async () => {
    const t = await setup()
    const [w1, w2] = [randomIds.uuid(), randomIds.uuid()]
    const a = await t.create(w1)
    const b = await t.create(w2)
    const page = await t.listPayments({})
    expect(page.ok && page.value.items).toEqual([
      {
        id: b.id,
        type: 'INCOMING',
        walletAddressId: w2,
        client: null,
        state: 'PENDING',
        metadata: null,
        createdAt: b.createdAt,
      },
      expect.objectContaining({ id: a.id, type: 'INCOMING' }),
    ])
    expect(await t.ids({ walletAddressIds: [w1] })).toEqual([a.id])
    expect(await t.ids({ types: ['INCOMING'], sortOrder: 'ASC' })).toEqual([a.id, b.id])
  })

  it('matches nothing for unknown types or ids that are not UUIDs', async () => {
    const t = await setup()
    await t.create(randomIds.uuid())
    expect(await t.ids({ types: ['OUTGOING'] })).toEqual([])
    expect(await t.ids({ types: ['incoming'] })).toEqual([])
    expect(await t.ids({ walletAddressIds: ['nope'] })).toEqual([])
    expect(await t.ids({ types: null, walletAddressIds: null })).toHaveLength(1)
  })

  it('refuses bad page arguments, cursors and over-long filters', async () => {
    const t = await setup()
    expect(await t.listPayments({ first: 0 })).toEqual({ ok: false, error: 'invalid_page_size' })
    expect(await t.listPayments({ after: randomIds.uuid() })).toEqual({
      ok: false,
      error: 'invalid_cursor',
    })
    const many = Array.from({ length: paymentFilterValuesMax + 1 }, () => randomIds.uuid())
    expect(await t.listPayments({ walletAddressIds: many })).toEqual({
      ok: false,
      error: 'filter_too_long',
    })
  })
})
