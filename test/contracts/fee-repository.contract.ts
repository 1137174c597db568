import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Fee, FeeType } from '../../domain/fees/fee.ts'
import type { PageRequest, SortOrder } from '../../domain/pagination/page.ts'
import { uint64Max } from '../../domain/shared/uint64.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import type { FeeRepository } from '../../application/ports/fee-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type FeeRepositoryFixture = {
  readonly fees: FeeRepository
  /** Fees reference assets: the SQL adapter needs the asset rows. */
  readonly assets: AssetRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)

/** Every FeeRepository adapter must behave the same; this suite is the definition. */
export function runFeeRepositoryContract(
  name: string,
  make: () => Promise<FeeRepositoryFixture>,
): void {
  describe(`FeeRepository contract: ${name}`, () => {
    let fixture: FeeRepositoryFixture
    let sequence = 0
    // Each test uses its own assets so tests stay independent on one shared database.
    const newAssetId = async () => {
      sequence += 1
      const created = await fixture.assets.create({
        id: randomIds.uuid(),
        code: `FEE${sequence}`,
        scale: 2,
        withdrawalThreshold: null,
        liquidityThreshold: null,
        createdAt: new Date(base),
      })
      if (!created.ok) throw new Error('could not create an asset')
      return created.value.id
    }
    const create = (assetId: string, type: FeeType, extra: Partial<Fee> = {}) => {
      sequence += 1
      return fixture.fees.create({
        id: randomIds.uuid(),
        assetId,
        type,
        fixed: BigInt(sequence),
        basisPoints: sequence % 10_001,
        createdAt: new Date(base + sequence * 1000),
        ...extra,
      })
    }

    beforeAll(async () => {
      fixture = await make()
    })
    afterAll(async () => {
      await fixture?.close()
    })

    it('creates and reads back the latest per type, 64-bit fixed fees intact', async () => {
      const assetId = await newAssetId()
      expect(await fixture.fees.latest(assetId, 'SENDING')).toBeUndefined()
      const sending = await create(assetId, 'SENDING', { fixed: uint64Max, basisPoints: 10_000 })
      expect(sending).toMatchObject({ assetId, type: 'SENDING', fixed: uint64Max })
      expect(await fixture.fees.latest(assetId, 'SENDING')).toEqual(sending)
      expect(await fixture.fees.latest(assetId, 'RECEIVING')).toBeUndefined()
      const receiving = await create(assetId, 'RECEIVING', { fixed: 0n, basisPoints: 0 })
      expect(await fixture.fees.latest(assetId, 'RECEIVING')).toEqual(receiving)
      expect(await fixture.fees.latest(assetId, 'SENDING')).toEqual(sending)
      expect(await fixture.fees.latest(randomIds.uuid(), 'SENDING')).toBeUndefined()
    })

    it('lets the fee set last win, even when the clock gives it the same or an earlier time', async () => {
      const assetId = await newAssetId()
      const at = new Date(base + 5_000_000)
      await create(assetId, 'SENDING', { createdAt: at })
      const second = await create(assetId, 'SENDING', { createdAt: at })
      expect((await fixture.fees.latest(assetId, 'SENDING'))?.id).toBe(second.id)
      const third = await create(assetId, 'SENDING', { createdAt: new Date(base) })
      expect((await fixture.fees.latest(assetId, 'SENDING'))?.id).toBe(third.id)
    })

    it('agrees with the history on which of concurrent fees is in force', async () => {
      const assetId = await newAssetId()
      await Promise.all(Array.from({ length: 10 }, () => create(assetId, 'RECEIVING')))
      const newest = await fixture.fees.listByAsset(assetId, {
        limit: 1,
        cursor: undefined,
        direction: 'forward',
        sortOrder: 'DESC',
      })
      expect(newest.ok && newest.value.items[0]?.id).toBe(
        (await fixture.fees.latest(assetId, 'RECEIVING'))?.id,
      )
      expect(await collect(fixture.fees, assetId, 'ASC')).toHaveLength(10)
    })

    it("pages one asset's history both ways in both orders, without gaps or repeats", async () => {
      const assetId = await newAssetId()
      const other = await newAssetId()
      const set: string[] = []
      for (let i = 0; i < 7; i += 1) {
        set.push((await create(assetId, i % 2 === 0 ? 'SENDING' : 'RECEIVING')).id)
        await create(other, 'SENDING')
      }
      expect((await collect(fixture.fees, assetId, 'ASC')).map((f) => f.id)).toEqual(set)
      expect((await collect(fixture.fees, assetId, 'DESC')).map((f) => f.id)).toEqual(
        [...set].reverse(),
      )
      const backward = (cursor: string, sortOrder: SortOrder): PageRequest => ({
        limit: 2,
        cursor,
        direction: 'backward',
        sortOrder,
      })
      const before = await fixture.fees.listByAsset(assetId, backward(set[2] ?? '', 'ASC'))
      expect(before.ok && before.value).toMatchObject({
        hasPreviousPage: false,
        hasNextPage: true,
      })
      expect(before.ok && before.value.items.map((f) => f.id)).toEqual(set.slice(0, 2))
      const beforeDesc = await fixture.fees.listByAsset(assetId, backward(set[2] ?? '', 'DESC'))
      expect(beforeDesc.ok && beforeDesc.value.items.map((f) => f.id)).toEqual(
        set.slice(3, 5).reverse(),
      )
      expect(beforeDesc.ok && beforeDesc.value.hasPreviousPage).toBe(true)
    })

    it("refuses a cursor that is not one of the asset's fees", async () => {
      const assetId = await newAssetId()
      const elsewhere = await create(await newAssetId(), 'SENDING')
      await create(assetId, 'SENDING')
      for (const cursor of [randomIds.uuid(), elsewhere.id]) {
        const request: PageRequest = {
          limit: 5,
          cursor,
          direction: 'forward',
          sortOrder: 'DESC',
        }
        expect(await fixture.fees.listByAsset(assetId, request)).toEqual({
          ok: false,
          error: 'unknown_cursor',
        })
      }
    })
  })
}

async function collect(fees: FeeRepository, assetId: string, sortOrder: SortOrder) {
  const out: Fee[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await fees.listByAsset(assetId, {
      limit: 3,
      cursor,
      direction: 'forward',
      sortOrder,
    })
    if (!page.ok) throw new Error(page.error)
    out.push(...page.value.items)
    const last = page.value.items[page.value.items.length - 1]
    if (!page.value.hasNextPage || !last) return out
    cursor = last.id
  }
}
