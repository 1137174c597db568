import type { Asset } from '../../domain/assets/asset.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'

export type GetAssetByCodeAndScale = (code: string, scale: number) => Promise<Asset | undefined>

export const makeGetAssetByCodeAndScale =
  (deps: { readonly assets: AssetRepository }): GetAssetByCodeAndScale =>
  (code, scale) =>
    deps.assets.getByCodeAndScale(code, scale)
