import type { Asset } from '../../domain/assets/asset.ts'
import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Result } from '../../domain/shared/result.ts'

export type NewAsset = {
  readonly id: string
  readonly code: string
  readonly scale: number
  readonly withdrawalThreshold: bigint | null
  readonly liquidityThreshold: bigint | null
  readonly createdAt: Date
}

export type AssetThresholds = {
  readonly withdrawalThreshold: bigint | null
  readonly liquidityThreshold: bigint | null
}

export interface AssetRepository {
  /** duplicate_asset when a live asset has the same code and scale. */
  create(asset: NewAsset): Promise<Result<Asset, 'duplicate_asset'>>
  updateThresholds(
    id: string,
    thresholds: AssetThresholds,
    updatedAt: Date,
  ): Promise<Asset | undefined>
  /** Soft delete: the row stays for history, the code+scale becomes free again. */
  softDelete(id: string, deletedAt: Date): Promise<Asset | undefined>
  getById(id: string): Promise<Asset | undefined>
  getByCodeAndScale(code: string, scale: number): Promise<Asset | undefined>
  /** Live assets in (createdAt, id) order; unknown_cursor when the cursor is not a live asset. */
  list(request: PageRequest): Promise<Result<Page<Asset>, 'unknown_cursor'>>
}
