import type { Asset } from '../../domain/assets/asset.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'

export type DeleteAssetError = 'unknown_asset'

export type DeleteAsset = (id: string) => Promise<Result<Asset, DeleteAssetError>>

export type DeleteAssetDeps = { readonly assets: AssetRepository; readonly clock: Clock }

export const makeDeleteAsset =
  (deps: DeleteAssetDeps): DeleteAsset =>
  async (id) => {
    if (!isUuid(id)) return err('unknown_asset')
    const deleted = await deps.assets.softDelete(id, new Date(deps.clock.now()))
    return deleted ? ok(deleted) : err('unknown_asset')
  }
