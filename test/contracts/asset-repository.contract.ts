import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Asset } from '../../domain/assets/asset.ts'
import type { PageRequest } from '../../domain/pagination/page.ts'
import { uint64Max } from '../../domain/shared/uint64.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type AssetRepositoryFixture = {
  readonly assets: AssetRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)

/** Every AssetRepository adapter must behave the same; this suite is the definition. */
export function runAssetRepositoryContract(
  name: string,
  make: () => Promise<AssetRepositoryFixture>,
): void {
  describe(`AssetRepository contract: ${name}`, () => {
    let fixture: AssetRepositoryFixture
    let sequence = 0
    // Each test uses its own codes so tests stay independent on one shared database.
    const newAsset = (code: string, scale = 2, extra: Partial<Asset> = {}) => {
      sequence += 1
      return {
        id: randomIds.uuid(),
        code,
        scale,
        withdrawalThreshold: null,
        liquidityThreshold: null,
        createdAt: new Date(base + sequence * 1000),
        ...extra,
      }
    }
    const create = async (code: string, scale = 2, extra: Partial<Asset> = {}) => {
      const created = await fixture.assets.create(newAsset(code, scale, extra))
      if (!created.ok) throw new Error(`could not create ${code}`)
      return created.value
    }

    beforeAll(async () => {
      fixture = await make()
    })
    afterAll(async () => {
      await fixture?.close()
    })

    it('creates and reads back, bigints up to 2^64-1 intact', async () => {
      const created = await create('RT1', 9, {
        withdrawalThreshold: uint64Max,
        liquidityThreshold: 0n,
      })
      expect(created).toMatchObject({ code: 'RT1', scale: 9, withdrawalThreshold: uint64Max })
      expect(created.ledger).toBeGreaterThan(0)
      expect(await fixture.assets.getById(created.id)).toEqual(created)
      expect(await fixture.assets.getByCodeAndScale('RT1', 9)).toEqual(created)
      expect(await fixture.assets.getByCodeAndScale('RT1', 8)).toBeUndefined()
      expect(await fixture.assets.getById(randomIds.uuid())).toBeUndefined()
    })

    it('gives each asset its own ledger number', async () => {
      const a = await create('LDG1')
      const b = await create('LDG2')
      expect(a.ledger).not.toBe(b.ledger)
    })

    it('refuses a live duplicate and frees code and scale on soft delete', async () => {
      const first = await create('DUP1')
      expect(await fixture.assets.create(newAsset('DUP1'))).toEqual({
        ok: false,
        error: 'duplicate_asset',
      })
      const deleted = await fixture.assets.softDelete(first.id, new Date(base))
      expect(deleted?.id).toBe(first.id)
      expect(await fixture.assets.getById(first.id)).toBeUndefined()
      expect(await fixture.assets.softDelete(first.id, new Date(base))).toBeUndefined()
      const second = await create('DUP1')
      expect(second.id).not.toBe(first.id)
    })

    it('refuses concurrent duplicates: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => fixture.assets.create(newAsset('RACE1'))),
      )
      expect(results.filter((result) => result.ok)).toHaveLength(1)
    })

    it('updates thresholds of live assets only', async () => {
      const asset = await create('UPD1', 2, { liquidityThreshold: 5n })
      const updatedAt = new Date(base + 10_000_000)
      const updated = await fixture.assets.updateThresholds(
        asset.id,
        { withdrawalThreshold: 3n, liquidityThreshold: null },
        updatedAt,
      )
      expect(updated).toMatchObject({ withdrawalThreshold: 3n, liquidityThreshold: null })
      expect(updated?.updatedAt).toEqual(updatedAt)
      expect(
        await fixture.assets.updateThresholds(
          randomIds.uuid(),
          { withdrawalThreshold: null, liquidityThreshold: null },
          updatedAt,
        ),
      ).toBeUndefined()
    })

    it('pages forwards and backwards in both sort orders without gaps or repeats', async () => {
      const all = await collect(fixture.assets, 'ASC')
      for (let i = 0; i < 5; i += 1) await create(`PG${i}`)
      const asc = await collect(fixture.assets, 'ASC')
      expect(asc.length).toBe(all.length + 5)
      const desc = await collect(fixture.assets, 'DESC')
      expect(desc).toEqual([...asc].reverse())
      const middle = asc[2]
      if (!middle) throw new Error('expected assets')
      const before = await fixture.assets.list({
        limit: 2,
        cursor: middle.id,
        direction: 'backward',
        sortOrder: 'ASC',
      })
      expect(before.ok && before.value.items.map((a) => a.id)).toEqual(
        asc.slice(0, 2).map((a) => a.id),
      )
      expect(before.ok && before.value.hasPreviousPage).toBe(false)
      expect(before.ok && before.value.hasNextPage).toBe(true)
    })

    it('refuses an unknown cursor', async () => {
      const request: PageRequest = {
        limit: 5,
        cursor: randomIds.uuid(),
        direction: 'forward',
        sortOrder: 'DESC',
      }
      expect(await fixture.assets.list(request)).toEqual({ ok: false, error: 'unknown_cursor' })
    })
  })
}

async function collect(assets: AssetRepository, sortOrder: 'ASC' | 'DESC'): Promise<Asset[]> {
  const out: Asset[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await assets.list({ limit: 3, cursor, direction: 'forward', sortOrder })
    if (!page.ok) throw new Error(page.error)
    out.push(...page.value.items)
    const last = page.value.items[page.value.items.length - 1]
    if (!page.value.hasNextPage || !last) return out
    cursor = last.id
  }
}
