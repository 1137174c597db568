import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAsset } from '../support/seed.ts'
import type { PageRequest } from '../../domain/pagination/page.ts'
import type { Quote } from '../../domain/quotes/quote.ts'
import { uint64Max } from '../../domain/shared/uint64.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import type { QuoteRepository } from '../../application/ports/quote-repository.ts'
import type { WalletAddressRepository } from '../../application/ports/wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type QuoteRepositoryFixture = {
  readonly quotes: QuoteRepository
  /** Quotes reference wallet addresses, which reference assets. */
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)
const forward = (cursor?: string): PageRequest => ({
  limit: 2,
  cursor,
  direction: 'forward',
  sortOrder: 'ASC',
})

/** Every QuoteRepository adapter behaves like this. */
export function runQuoteRepositoryContract(
  name: string,
  make: () => Promise<QuoteRepositoryFixture>,
): void {
  describe(`QuoteRepository contract: ${name}`, () => {
    let fixture: QuoteRepositoryFixture
    let assetId: string
    let walletAddressId: string
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
    const local = (extra: Partial<Quote> = {}): Quote => ({
      id: randomIds.uuid(),
      walletAddressId,
      receiver: `https://other.example/alice/incoming-payments/${randomIds.uuid()}`,
      client: null,
      method: 'LOCAL',
      debitAmount: { value: 566n, assetCode: 'USD', assetScale: 2 },
      debitAmountMinusFees: 550n,
      receiveAmount: { value: 500n, assetCode: 'EUR', assetScale: 2 },
      estimatedExchangeRate: 0.91,
      feeId: null,
      ilp: null,
      expiresAt: new Date(base + 300_000),
      createdAt: at(),
      ...extra,
    })

    beforeAll(async () => {
      fixture = await make()
      assetId = (await seedAsset(fixture.assets, new Date(base))).id
      walletAddressId = await newWalletAddress()
    })
    afterAll(() => fixture.close())

    it('stores a LOCAL quote and reads it back unchanged', async () => {
      const quote = local()
      expect(await fixture.quotes.create(quote)).toEqual(quote)
      expect(await fixture.quotes.getById(quote.id)).toEqual(quote)
      expect(await fixture.quotes.getById(randomIds.uuid())).toBeUndefined()
    })

    it('keeps 64-bit amounts and ILP details exact', async () => {
      const quote = local({
        method: 'ILP',
        client: 'https://client.example/app',
        debitAmount: { value: uint64Max, assetCode: 'USD', assetScale: 2 },
        debitAmountMinusFees: uint64Max - 1n,
        receiveAmount: { value: uint64Max, assetCode: 'XRP', assetScale: 9 },
        estimatedExchangeRate: 1.2345678901234567,
        ilp: {
          maxPacketAmount: uint64Max,
          minExchangeRate: { numerator: 2n ** 70n + 1n, denominator: 3n },
          lowEstimatedExchangeRate: { numerator: 0n, denominator: 1n },
          highEstimatedExchangeRate: { numerator: 7n, denominator: 2n ** 80n },
        },
      })
      await fixture.quotes.create(quote)
      expect(await fixture.quotes.getById(quote.id)).toEqual(quote)
    })

    it("pages a wallet address's quotes in (createdAt, id) order, optionally one client's", async () => {
      const own = await newWalletAddress()
      const quotes = [
        local({ walletAddressId: own }),
        local({ walletAddressId: own, client: 'https://client.example/a' }),
        local({ walletAddressId: own }),
      ]
      for (const quote of quotes) await fixture.quotes.create(quote)
      const first = await fixture.quotes.listByWalletAddress(own, forward())
      expect(first.ok && first.value.items.map((q) => q.id)).toEqual(
        quotes.slice(0, 2).map((q) => q.id),
      )
      expect(first.ok && first.value.hasNextPage).toBe(true)
      const second = await fixture.quotes.listByWalletAddress(own, forward(quotes[1]?.id))
      expect(second.ok && second.value.items.map((q) => q.id)).toEqual([quotes[2]?.id])
      const ofClient = await fixture.quotes.listByWalletAddress(
        own,
        forward(),
        'https://client.example/a',
      )
      expect(ofClient.ok && ofClient.value.items).toEqual([quotes[1]])
      expect(await fixture.quotes.listByWalletAddress(own, forward(randomIds.uuid()))).toEqual({
        ok: false,
        error: 'unknown_cursor',
      })
    })
  })
}
