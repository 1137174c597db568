import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAsset } from '../support/seed.ts'
import type { PageRequest } from '../../domain/pagination/page.ts'
import type { Payment } from '../../domain/payments/payment.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import type { IncomingPaymentRepository } from '../../application/ports/incoming-payment-repository.ts'
import type {
  PaymentFilter,
  PaymentRepository,
} from '../../application/ports/payment-repository.ts'
import type { WalletAddressRepository } from '../../application/ports/wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type PaymentRepositoryFixture = {
  readonly payments: PaymentRepository
  /** Payments are written through their own kind's repository. */
  readonly incomingPayments: IncomingPaymentRepository
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)
const request = (overrides: Partial<PageRequest> = {}): PageRequest => ({
  limit: 10,
  cursor: undefined,
  direction: 'forward',
  sortOrder: 'DESC',
  ...overrides,
})

/** Every PaymentRepository adapter behaves like this. */
export function runPaymentRepositoryContract(
  name: string,
  make: () => Promise<PaymentRepositoryFixture>,
): void {
  describe(`PaymentRepository contract: ${name}`, () => {
    let fixture: PaymentRepositoryFixture
    let assetId: string
    let sequence = 0
    const at = () => new Date(base + (sequence += 1) * 1000)
    const newWalletAddress = async () => {
      const created = await fixture.walletAddresses.create({
        id: randomIds.uuid(),
        url: `https://wallet.example/${randomIds.uuid()}`,
        assetId,
        publicName: null,
        additionalProperties: [],
        createdAt: at(),
      })
      if (!created.ok) throw new Error('wallet address setup failed')
      return created.value.id
    }
    const newPayment = async (walletAddressId: string, client: string | null = null) => {
      const payment = await fixture.incomingPayments.create({
        id: randomIds.uuid(),
        walletAddressId,
        client,
        incomingAmount: null,
        assetCode: 'USD',
        assetScale: 2,
        expiresAt: new Date(base + 3_600_000),
        metadata: { n: sequence },
        createdAt: at(),
      })
      const asPayment: Payment = {
        id: payment.id,
        type: 'INCOMING',
        walletAddressId,
        client,
        state: 'PENDING',
        metadata: payment.metadata,
        createdAt: payment.createdAt,
      }
      return asPayment
    }
    const ids = async (filter: PaymentFilter, overrides: Partial<PageRequest> = {}) => {
      const page = await fixture.payments.list(request(overrides), filter)
      if (!page.ok) throw new Error(page.error)
      return page.value.items.map((payment) => payment.id)
    }

    beforeAll(async () => {
      fixture = await make()
      assetId = (await seedAsset(fixture.assets, new Date(base))).id
    })
    afterAll(() => fixture.close())

    it('lists incoming payments as payments, newest first, by type and wallet address', async () => {
      const [w1, w2] = [await newWalletAddress(), await newWalletAddress()]
      const p1 = await newPayment(w1)
      const p2 = await newPayment(w2, 'https://client.example/app')
      const p3 = await newPayment(w1)
      const both = { walletAddressIds: [w1, w2] }
      const page = await fixture.payments.list(request(), both)
      expect(page).toEqual({
        ok: true,
        value: { items: [p3, p2, p1], hasNextPage: false, hasPreviousPage: false },
      })
      expect(await ids({ walletAddressIds: [w1] })).toEqual([p3.id, p1.id])
      expect(await ids({ ...both, types: ['INCOMING'] })).toEqual([p3.id, p2.id, p1.id])
      expect(await ids({ ...both, types: ['OUTGOING'] })).toEqual([])
      expect(await ids({ ...both, types: [] })).toEqual([])
      expect(await ids({ walletAddressIds: [] })).toEqual([])
      expect(await ids({ walletAddressIds: [randomIds.uuid()] })).toEqual([])
      expect(await ids({})).toEqual(expect.arrayContaining([p1.id, p2.id, p3.id]))
    })

    it('pages in both directions; refuses a cursor the filter does not keep', async () => {
      const [w1, w2] = [await newWalletAddress(), await newWalletAddress()]
      const p1 = await newPayment(w1)
      const p2 = await newPayment(w2)
      const p3 = await newPayment(w1)
      const both = { walletAddressIds: [w1, w2] }
      const asc = { limit: 1, sortOrder: 'ASC' } as const
      expect(await ids(both, asc)).toEqual([p1.id])
      expect(await ids(both, { ...asc, cursor: p1.id })).toEqual([p2.id])
      expect(await ids(both, { ...asc, cursor: p3.id, direction: 'backward' })).toEqual([p2.id])
      expect(
        await fixture.payments.list(request({ cursor: p2.id }), { walletAddressIds: [w1] }),
      ).toEqual({ ok: false, error: 'unknown_cursor' })
    })

    it('shows the current state of each payment', async () => {
      const payment = await newPayment(await newWalletAddress())
      await fixture.incomingPayments.complete(payment.id, at())
      const page = await fixture.payments.list(request(), {
        walletAddressIds: [payment.walletAddressId],
      })
      expect(page.ok && page.value.items.map((p) => p.state)).toEqual(['COMPLETED'])
    })
  })
}
