import {
  validateAssetCode,
  validateAssetScale,
  validateThreshold,
  type Asset,
  type AssetInputError,
} from '../../domain/assets/asset.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'

export type CreateAssetInput = {
  readonly code: string
  readonly scale: number
  readonly withdrawalThreshold?: bigint | null | undefined
  readonly liquidityThreshold?: bigint | null | undefined
}

export type CreateAssetError = AssetInputError | 'duplicate_asset'

export type CreateAsset = (input: CreateAssetInput) => Promise<Result<Asset, CreateAssetError>>

export type CreateAssetDeps = {
  readonly assets: AssetRepository
  readonly clock: Clock
  readonly ids: IdGenerator
}

export const makeCreateAsset =
  (deps: CreateAssetDeps): CreateAsset =>
  async (input) => {
    const code = validateAssetCode(input.code)
    if (!code.ok) return code
    const scale = validateAssetScale(input.scale)
    if (!scale.ok) return scale
    const withdrawal = validateThreshold(input.withdrawalThreshold ?? null)
    const liquidity = validateThreshold(input.liquidityThreshold ?? null)
    if (!withdrawal.ok || !liquidity.ok) return err('invalid_threshold')
    return deps.assets.create({
      id: deps.ids.uuid(),
      code: code.value,
      scale: scale.value,
      withdrawalThreshold: withdrawal.value,
      liquidityThreshold: liquidity.value,
      createdAt: new Date(deps.clock.now()),
    })
  }
