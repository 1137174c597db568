import type { Asset } from '../../domain/assets/asset.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'

export type DeleteAssetError = 'unknown_asset' | 'asset_in_use'

export type DeleteAsset = (id: string) => Promise<Result<Asset, DeleteAssetError>>

export type DeleteAssetDeps = {
  readonly assets: AssetRepository
  readonly clock: Clock
  /** Whether anything (wallet addresses, later peers) still uses the asset. */
  readonly isAssetInUse: (assetId: string) => Promise<boolean>
}

export const makeDeleteAsset =
  (deps: DeleteAssetDeps): DeleteAsset =>
  async (id) => {
    if (!isUuid(id)) return err('unknown_asset')
    // As Rafiki: an asset that wallet addresses or peers hold cannot go.
    if (await deps.isAssetInUse(id)) return err('asset_in_use')
    const deleted = await deps.assets.softDelete(id, new Date(deps.clock.now()))
    return deleted ? ok(deleted) : err('unknown_asset')
  }
