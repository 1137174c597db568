import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { makeCreateAsset } from './create-asset.ts'
import { makeDeleteAsset } from './delete-asset.ts'
import { makeUpdateAsset } from './update-asset.ts'

const setup = () => {
  const inUse = new Set<string>()
  const clock = makeFakeClock()
  const deps = {
    assets: makeMemoryAssetRepository(),
    clock,
    ids: randomIds,
    ledger: makeMemoryLedger(clock),
  }
  return {
    deps,
    createAsset: makeCreateAsset(deps),
    updateAsset: makeUpdateAsset(deps),
    deleteAsset: makeDeleteAsset({ ...deps, isAssetInUse: async (id) => inUse.has(id) }),
    inUse,
  }
}

describe('asset use cases', () => {
  it('creates an asset with thresholds', async () => {
    const { createAsset, deps } = setup()
    const created = await createAsset({ code: 'USD', scale: 2, liquidityThreshold: 100n })
    expect(created.ok && created.value).toMatchObject({
      code: 'USD',
      scale: 2,
      liquidityThreshold: 100n,
      withdrawalThreshold: null,
      createdAt: new Date(deps.clock.now()),
    })
  })

  it("opens the asset's settlement and liquidity accounts on its ledger", async () => {
    const { createAsset, deps } = setup()
    const created = await createAsset({ code: 'USD', scale: 2 })
    if (!created.ok) throw new Error('setup failed')
    const { id } = created.value
    const balances = await deps.ledger.getBalances([id, settlementAccountId(id)])
    expect([...balances.keys()].sort()).toEqual([id, settlementAccountId(id)].sort())
  })

  it('takes the asset back when its accounts cannot be opened', async () => {
    const { deps } = setup()
    const failing = {
      ...deps,
      ledger: { ...deps.ledger, createAccounts: () => Promise.reject(new Error('ledger down')) },
    }
    await expect(makeCreateAsset(failing)({ code: 'USD', scale: 2 })).rejects.toThrow('ledger down')
    expect(await deps.assets.getByCodeAndScale('USD', 2)).toBeUndefined()
  })

  it.each([
    [{ code: '', scale: 2 }, 'invalid_asset_code'],
    [{ code: 'US D', scale: 2 }, 'invalid_asset_code'],
    [{ code: 'USD', scale: -1 }, 'invalid_asset_scale'],
    [{ code: 'USD', scale: 256 }, 'invalid_asset_scale'],
    [{ code: 'USD', scale: 2, withdrawalThreshold: -5n }, 'invalid_threshold'],
  ])('refuses invalid input #%# with %s', async (input, error) => {
    const { createAsset } = setup()
    expect(await createAsset(input)).toEqual({ ok: false, error })
  })

  it('refuses a duplicate code and scale until the first is deleted', async () => {
    const { createAsset, deleteAsset } = setup()
    const first = await createAsset({ code: 'EUR', scale: 2 })
    expect(await createAsset({ code: 'EUR', scale: 2 })).toEqual({
      ok: false,
      error: 'duplicate_asset',
    })
    expect((await createAsset({ code: 'EUR', scale: 3 })).ok).toBe(true)
    if (!first.ok) throw new Error('setup failed')
    expect((await deleteAsset(first.value.id)).ok).toBe(true)
    expect((await createAsset({ code: 'EUR', scale: 2 })).ok).toBe(true)
  })

  it('updates both thresholds and reports unknown ids', async () => {
    const { createAsset, updateAsset } = setup()
    const created = await createAsset({ code: 'USD', scale: 2, withdrawalThreshold: 5n })
    if (!created.ok) throw new Error('setup failed')
    const updated = await updateAsset({
      id: created.value.id,
      withdrawalThreshold: null,
      liquidityThreshold: 7n,
    })
    expect(updated.ok && updated.value).toMatchObject({
      withdrawalThreshold: null,
      liquidityThreshold: 7n,
    })
    const unknown = { withdrawalThreshold: null, liquidityThreshold: null }
    expect(await updateAsset({ id: 'nope', ...unknown })).toEqual({
      ok: false,
      error: 'unknown_asset',
    })
    expect(await updateAsset({ id: randomIds.uuid(), ...unknown })).toEqual({
      ok: false,
      error: 'unknown_asset',
    })
  })

  it('refuses to delete an asset in use', async () => {
    const { createAsset, deleteAsset, inUse } = setup()
    const created = await createAsset({ code: 'USD', scale: 2 })
    if (!created.ok) throw new Error('setup failed')
    inUse.add(created.value.id)
    expect(await deleteAsset(created.value.id)).toEqual({ ok: false, error: 'asset_in_use' })
    inUse.delete(created.value.id)
    expect((await deleteAsset(created.value.id)).ok).toBe(true)
  })

  it('deletes once', async () => {
    const { createAsset, deleteAsset } = setup()
    const created = await createAsset({ code: 'USD', scale: 2 })
    if (!created.ok) throw new Error('setup failed')
    expect((await deleteAsset(created.value.id)).ok).toBe(true)
    expect(await deleteAsset(created.value.id)).toEqual({ ok: false, error: 'unknown_asset' })
  })
})
