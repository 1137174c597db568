import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryFeeRepository } from '../../adapters/memory/memory-fee-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { uint64Max } from '../../domain/shared/uint64.ts'
import { makeCurrentFee } from './current-fee.ts'
import { makeListFees } from './list-fees.ts'
import { makeSetFee } from './set-fee.ts'

const setup = async () => {
  const clock = makeFakeClock()
  const deps = {
    fees: makeMemoryFeeRepository(),
    assets: makeMemoryAssetRepository(),
    clock,
    ids: randomIds,
  }
  const asset = await deps.assets.create({
    id: randomIds.uuid(),
    code: 'USD',
    scale: 2,
    withdrawalThreshold: null,
    liquidityThreshold: null,
    createdAt: new Date(clock.now()),
  })
  if (!asset.ok) throw new Error('setup failed')
  return {
    deps,
    assetId: asset.value.id,
    setFee: makeSetFee(deps),
    currentFee: makeCurrentFee(deps),
    listFees: makeListFees(deps),
  }
}

describe('fee use cases', () => {
  it('sets a fee that is then in force for its type only', async () => {
    const { setFee, currentFee, assetId, deps } = await setup()
    const set = await setFee({ assetId, type: 'SENDING', fixed: 100n, basisPoints: 250 })
    expect(set).toEqual({
      ok: true,
      value: {
        id: expect.any(String),
        assetId,
        type: 'SENDING',
        fixed: 100n,
        basisPoints: 250,
        createdAt: new Date(deps.clock.now()),
      },
    })
    expect(await currentFee(assetId, 'SENDING')).toEqual(set.ok && set.value)
    expect(await currentFee(assetId, 'RECEIVING')).toBeUndefined()
  })

  it('lets the latest fee win and keeps the older ones as history', async () => {
    const { setFee, currentFee, listFees, assetId, deps } = await setup()
    const first = await setFee({ assetId, type: 'SENDING', fixed: 1n, basisPoints: 1 })
    deps.clock.advance(1000)
    const second = await setFee({ assetId, type: 'SENDING', fixed: 2n, basisPoints: 2 })
    const receiving = await setFee({ assetId, type: 'RECEIVING', fixed: 3n, basisPoints: 3 })
    if (!first.ok || !second.ok || !receiving.ok) throw new Error('setup failed')
    expect(await currentFee(assetId, 'SENDING')).toEqual(second.value)
    expect(await currentFee(assetId, 'RECEIVING')).toEqual(receiving.value)
    const history = await listFees(assetId, { sortOrder: 'ASC' })
    expect(history.ok && history.value.items).toEqual([first.value, second.value, receiving.value])
  })

  it.each([
    [{ fixed: -1n, basisPoints: 0 }, 'invalid_fixed_fee'],
    [{ fixed: uint64Max + 1n, basisPoints: 0 }, 'invalid_fixed_fee'],
    [{ fixed: 0n, basisPoints: -1 }, 'invalid_basis_points'],
    [{ fixed: 0n, basisPoints: 10_001 }, 'invalid_basis_points'],
    [{ fixed: 0n, basisPoints: 0.5 }, 'invalid_basis_points'],
  ])('refuses %o with %s and stores nothing', async (amounts, error) => {
    const { setFee, currentFee, assetId } = await setup()
    expect(await setFee({ assetId, type: 'SENDING', ...amounts })).toEqual({ ok: false, error })
    expect(await currentFee(assetId, 'SENDING')).toBeUndefined()
  })

  it('refuses an unknown, malformed or deleted asset', async () => {
    const { setFee, assetId, deps } = await setup()
    const fee = { type: 'RECEIVING', fixed: 0n, basisPoints: 0 } as const
    const unknown = { ok: false, error: 'unknown_asset' }
    expect(await setFee({ ...fee, assetId: randomIds.uuid() })).toEqual(unknown)
    expect(await setFee({ ...fee, assetId: 'not-a-uuid' })).toEqual(unknown)
    await deps.assets.softDelete(assetId, new Date(deps.clock.now()))
    expect(await setFee({ ...fee, assetId })).toEqual(unknown)
  })

  it('lists nothing for ids that are not UUIDs and refuses bad page arguments', async () => {
    const { currentFee, listFees, assetId } = await setup()
    expect(await currentFee('nope', 'SENDING')).toBeUndefined()
    expect(await listFees('nope', {})).toEqual({
      ok: true,
      value: { items: [], hasNextPage: false, hasPreviousPage: false },
    })
    expect(await listFees(assetId, { first: 0 })).toEqual({
      ok: false,
      error: 'invalid_page_size',
    })
    expect(await listFees(assetId, { after: randomIds.uuid() })).toEqual({
      ok: false,
      error: 'invalid_cursor',
    })
  })
})
