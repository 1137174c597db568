import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAsset } from '../support/seed.ts'
import type { PageRequest } from '../../domain/pagination/page.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import type {
  IncomingPaymentRepository,
  NewIncomingPayment,
} from '../../application/ports/incoming-payment-repository.ts'
import type { WalletAddressRepository } from '../../application/ports/wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type IncomingPaymentRepositoryFixture = {
  readonly incomingPayments: IncomingPaymentRepository
  /** Payments reference wallet addresses, which reference assets. */
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)
const hourMs = 3_600_000
const usd = (value: bigint) => ({ value, assetCode: 'USD', assetScale: 2 })
const forward = (cursor?: string): PageRequest => ({
  limit: 2,
  cursor,
  direction: 'forward',
  sortOrder: 'ASC',
})

/** Every IncomingPaymentRepository adapter behaves like this. */
export function runIncomingPaymentRepositoryContract(
  name: string,
  make: () => Promise<IncomingPaymentRepositoryFixture>,
): void {
  describe(`IncomingPaymentRepository contract: ${name}`, () => {
    let fixture: IncomingPaymentRepositoryFixture
    let repository: IncomingPaymentRepository
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
    const input = (
      walletAddressId: string,
      value: bigint | null = 100n,
      client: string | null = null,
    ): NewIncomingPayment => ({
      id: randomIds.uuid(),
      walletAddressId,
      client,
      incomingAmount: value === null ? null : usd(value),
      assetCode: 'USD',
      assetScale: 2,
      expiresAt: new Date(base + hourMs),
      metadata: { note: 'x', nested: { n: 1 } },
      createdAt: at(),
    })
    let walletAddressId: string
    const create = async (value: bigint | null = 100n) =>
      repository.create(input(walletAddressId, value))

    beforeAll(async () => {
      fixture = await make()
      repository = fixture.incomingPayments
      assetId = (await seedAsset(fixture.assets, new Date(base))).id
      walletAddressId = await newWalletAddress()
    })
    afterAll(() => fixture.close())

    it('creates PENDING payments with nothing received and reads them back', async () => {
      const payment = await create()
      expect(payment).toEqual({
        id: payment.id,
        walletAddressId,
        client: null,
        state: 'PENDING',
        incomingAmount: usd(100n),
        receivedAmount: usd(0n),
        expiresAt: new Date(base + hourMs),
        metadata: { note: 'x', nested: { n: 1 } },
        approvedAt: null,
        cancelledAt: null,
        createdAt: payment.createdAt,
        updatedAt: payment.createdAt,
      })
      expect(await repository.getById(payment.id)).toEqual(payment)
      expect(await repository.getById(randomIds.uuid())).toBeUndefined()
      const open = await create(null)
      expect(open.incomingAmount).toBeNull()
    })

    it('pages a wallet address payments only', async () => {
      const own = await newWalletAddress()
      const ids = []
      for (let i = 0; i < 3; i += 1) ids.push((await repository.create(input(own))).id)
      await create()
      const first = await repository.listByWalletAddress(own, forward())
      expect(first.ok && first.value.items.map((p) => p.id)).toEqual(ids.slice(0, 2))
      expect(first.ok && first.value.hasNextPage).toBe(true)
      const second = await repository.listByWalletAddress(own, forward(ids[1]))
      expect(second.ok && second.value.items.map((p) => p.id)).toEqual(ids.slice(2))
      const other = await create()
      expect(await repository.listByWalletAddress(own, forward(other.id))).toEqual({
        ok: false,
        error: 'unknown_cursor',
      })
    })

    it("lists only one client's payments when asked", async () => {
      const own = await newWalletAddress()
      const alice = 'https://client.example/alice'
      const mine = await repository.create(input(own, 100n, alice))
      const theirs = await repository.create(input(own, 100n, 'https://client.example/bob'))
      const admin = await repository.create(input(own))
      expect((await repository.getById(mine.id))?.client).toBe(alice)
      const listed = await repository.listByWalletAddress(own, forward(), alice)
      expect(listed.ok && listed.value.items.map((p) => p.id)).toEqual([mine.id])
      const all = await repository.listByWalletAddress(own, forward())
      expect(all.ok && all.value.items.map((p) => p.id)).toEqual([mine.id, theirs.id])
      expect(await repository.listByWalletAddress(own, forward(theirs.id), alice)).toEqual({
        ok: false,
        error: 'unknown_cursor',
      })
      expect(admin.client).toBeNull()
    })

    it('updates metadata', async () => {
      const payment = await create()
      const when = at()
      const updated = await repository.updateMetadata(payment.id, null, when)
      expect(updated).toMatchObject({ metadata: null, updatedAt: when })
      expect(await repository.updateMetadata(randomIds.uuid(), null, when)).toBeUndefined()
    })

    it('adds received amounts and completes at the incoming amount', async () => {
      const payment = await create(100n)
      const first = await repository.addReceived(payment.id, 60n, new Date(base))
      expect(first.ok && first.value).toMatchObject({
        completedNow: false,
        payment: { state: 'PROCESSING', receivedAmount: usd(60n) },
      })
      const second = await repository.addReceived(payment.id, 60n, new Date(base))
      expect(second.ok && second.value).toMatchObject({
        completedNow: true,
        payment: { state: 'COMPLETED', receivedAmount: usd(120n) },
      })
      expect(await repository.addReceived(payment.id, 1n, new Date(base))).toEqual({
        ok: false,
        error: 'wrong_state',
      })
      expect(await repository.addReceived(randomIds.uuid(), 1n, new Date(base))).toEqual({
        ok: false,
        error: 'unknown_incoming_payment',
      })
    })

    it('with upToIncomingAmount, refuses what would go beyond the incoming amount', async () => {
      const capped = { upToIncomingAmount: true }
      const payment = await create(100n)
      expect((await repository.addReceived(payment.id, 60n, new Date(base), capped)).ok).toBe(true)
      expect(await repository.addReceived(payment.id, 41n, new Date(base), capped)).toEqual({
        ok: false,
        error: 'exceeds_incoming_amount',
      })
      expect((await repository.getById(payment.id))?.receivedAmount).toEqual(usd(60n))
      const last = await repository.addReceived(payment.id, 40n, new Date(base), capped)
      expect(last.ok && last.value).toMatchObject({
        completedNow: true,
        payment: { state: 'COMPLETED', receivedAmount: usd(100n) },
      })
      expect(await repository.addReceived(payment.id, 1n, new Date(base), capped)).toEqual({
        ok: false,
        error: 'wrong_state',
      })
      const late = await repository.addReceived(payment.id, 1n, new Date(base + hourMs), capped)
      expect(late).toEqual({ ok: false, error: 'wrong_state' })
      const openEnded = await create(null)
      const any = await repository.addReceived(openEnded.id, 10n ** 15n, new Date(base), capped)
      expect(any.ok).toBe(true)
      expect(await repository.addReceived(randomIds.uuid(), 1n, new Date(base), capped)).toEqual({
        ok: false,
        error: 'unknown_incoming_payment',
      })
    })

    it('refuses money after expiresAt', async () => {
      const payment = await create()
      expect(await repository.addReceived(payment.id, 1n, new Date(base + hourMs))).toEqual({
        ok: false,
        error: 'wrong_state',
      })
    })

    it('completes exactly once under 20 concurrent credits', async () => {
      const payment = await create(100n)
      const results = await Promise.all(
        Array.from({ length: 20 }, () => repository.addReceived(payment.id, 7n, new Date(base))),
      )
      const applied = results.filter((r) => r.ok)
      expect(applied.filter((r) => r.ok && r.value.completedNow)).toHaveLength(1)
      // 15 credits of 7 reach 105 >= 100; the rest find it COMPLETED.
      expect(applied).toHaveLength(15)
      expect((await repository.getById(payment.id))?.receivedAmount).toEqual(usd(105n))
    })

    it('completes PENDING and PROCESSING payments only', async () => {
      const a = await create()
      expect((await repository.complete(a.id, at())).ok).toBe(true)
      expect(await repository.complete(a.id, at())).toEqual({ ok: false, error: 'wrong_state' })
      const b = await create()
      await repository.addReceived(b.id, 1n, new Date(base))
      const completed = await repository.complete(b.id, at())
      expect(completed.ok && completed.value.state).toBe('COMPLETED')
      expect(await repository.complete(randomIds.uuid(), at())).toEqual({
        ok: false,
        error: 'unknown_incoming_payment',
      })
    })

    it('approves or cancels PENDING payments once, never both', async () => {
      const a = await create()
      const approvedAt = at()
      const approved = await repository.approve(a.id, approvedAt)
      expect(approved.ok && approved.value).toMatchObject({ approvedAt, updatedAt: approvedAt })
      const again = await repository.approve(a.id, at())
      expect(again.ok && again.value).toMatchObject({ approvedAt, updatedAt: approvedAt })
      expect(await repository.cancel(a.id, at())).toEqual({
        ok: false,
        error: 'already_actioned',
      })
      const b = await create()
      const cancelledAt = at()
      const cancelled = await repository.cancel(b.id, cancelledAt)
      expect(cancelled.ok && cancelled.value).toMatchObject({ state: 'PENDING', cancelledAt })
      expect(await repository.approve(b.id, at())).toEqual({
        ok: false,
        error: 'already_actioned',
      })
      const c = await create()
      await repository.complete(c.id, at())
      expect(await repository.approve(c.id, at())).toEqual({ ok: false, error: 'wrong_state' })
      expect(await repository.cancel(c.id, at())).toEqual({ ok: false, error: 'wrong_state' })
      expect(await repository.cancel(randomIds.uuid(), at())).toEqual({
        ok: false,
        error: 'unknown_incoming_payment',
      })
    })

    it('caps the expiry of a wallet address active payments', async () => {
      const own = await newWalletAddress()
      const early = await repository.create({ ...input(own), expiresAt: new Date(base + 10) })
      const late = await repository.create(input(own))
      const done = await repository.create(input(own))
      await repository.complete(done.id, at())
      const other = await create()
      const latest = new Date(base + 1000)
      expect(await repository.capExpiry(own, latest, at())).toBe(1)
      expect((await repository.getById(late.id))?.expiresAt).toEqual(latest)
      expect((await repository.getById(early.id))?.expiresAt).toEqual(new Date(base + 10))
      expect((await repository.getById(done.id))?.expiresAt).toEqual(new Date(base + hourMs))
      expect((await repository.getById(other.id))?.expiresAt).toEqual(new Date(base + hourMs))
    })

    it('expires due active payments once, even with concurrent claimers', async () => {
      const own = await newWalletAddress()
      const due = []
      for (let i = 0; i < 5; i += 1) {
        due.push((await repository.create({ ...input(own), expiresAt: new Date(base) })).id)
      }
      const done = await repository.create({ ...input(own), expiresAt: new Date(base) })
      await repository.complete(done.id, at())
      const claims = await Promise.all(
        Array.from({ length: 4 }, () => repository.expireDue(new Date(base + 1), 2)),
      )
      const expired = claims.flat().filter((p) => p.walletAddressId === own)
      expect(expired.map((p) => p.id).sort()).toEqual([...due].sort())
      expect(expired.every((p) => p.state === 'EXPIRED')).toBe(true)
      expect(await repository.expireDue(new Date(base + 1), 10)).toEqual([])
    })
  })
}
