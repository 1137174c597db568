import { err, ok, type Result } from '../shared/result.ts'
import { isUInt64 } from '../shared/uint64.ts'

export type Asset = {
  readonly id: string
  readonly code: string
  readonly scale: number
  /** The ledger number of this asset's accounts (one ledger per asset, as TigerBeetle). */
  readonly ledger: number
  readonly withdrawalThreshold: bigint | null
  readonly liquidityThreshold: bigint | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type AssetInputError = 'invalid_asset_code' | 'invalid_asset_scale' | 'invalid_threshold'

export const assetCodeLengthMax = 32
export const assetScaleMax = 255

/** Rafiki accepts any currency string; we only refuse what no ASE could mean. */
export const validateAssetCode = (code: string): Result<string, 'invalid_asset_code'> =>
  code.length > 0 && code.length <= assetCodeLengthMax && !/\s/.test(code)
    ? ok(code)
    : err('invalid_asset_code')

export const validateAssetScale = (scale: number): Result<number, 'invalid_asset_scale'> =>
  Number.isInteger(scale) && scale >= 0 && scale <= assetScaleMax
    ? ok(scale)
    : err('invalid_asset_scale')

export const validateThreshold = (
  threshold: bigint | null,
): Result<bigint | null, 'invalid_threshold'> =>
  threshold === null || isUInt64(threshold) ? ok(threshold) : err('invalid_threshold')
