import type { Fee, FeeType } from '../../domain/fees/fee.ts'
import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Result } from '../../domain/shared/result.ts'

/** Already validated (validateFeeAmounts), for an asset the caller found. */
export type NewFee = Fee

export interface FeeRepository {
  /** Adds a row to the asset's fee history; rows are never changed or removed. */
  create(fee: NewFee): Promise<Fee>
  /** The fee in force: the row of this asset and type that was created last. */
  latest(assetId: string, type: FeeType): Promise<Fee | undefined>
  /**
   * The asset's fees of both types in the order they were created (sortOrder ASC: oldest first);
   * unknown_cursor when the cursor is not one of them.
   */
  listByAsset(assetId: string, request: PageRequest): Promise<Result<Page<Fee>, 'unknown_cursor'>>
}
