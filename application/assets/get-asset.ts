import { isUuid } from '../../domain/shared/uuid.ts'
import type { Asset } from '../../domain/assets/asset.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'

export type GetAsset = (id: string) => Promise<Asset | undefined>

export const makeGetAsset =
  (deps: { readonly assets: AssetRepository }): GetAsset =>
  (id) =>
    isUuid(id) ? deps.assets.getById(id) : Promise.resolve(undefined)
