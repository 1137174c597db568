import { validateThreshold, type Asset } from '../../domain/assets/asset.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'

export type UpdateAssetInput = {
  readonly id: string
  readonly withdrawalThreshold: bigint | null
  readonly liquidityThreshold: bigint | null
}

export type UpdateAssetError = 'unknown_asset' | 'invalid_threshold'

export type UpdateAsset = (input: UpdateAssetInput) => Promise<Result<Asset, UpdateAssetError>>

export type UpdateAssetDeps = { readonly assets: AssetRepository; readonly clock: Clock }

/** Rafiki's updateAsset replaces both thresholds: an omitted one becomes null. */
export const makeUpdateAsset =
  (deps: UpdateAssetDeps): UpdateAsset =>
  async (input) => {
    if (!isUuid(input.id)) return err('unknown_asset')
    const withdrawal = validateThreshold(input.withdrawalThreshold)
    const liquidity = validateThreshold(input.liquidityThreshold)
    if (!withdrawal.ok || !liquidity.ok) return err('invalid_threshold')
    const updated = await deps.assets.updateThresholds(
      input.id,
      { withdrawalThreshold: withdrawal.value, liquidityThreshold: liquidity.value },
      new Date(deps.clock.now()),
    )
    return updated ? ok(updated) : err('unknown_asset')
  }
