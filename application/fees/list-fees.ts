import type { Fee } from '../../domain/fees/fee.ts'
import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { FeeRepository } from '../ports/fee-repository.ts'

/** An asset's fee history (Asset.fees), both types, in the order the fees were set. */
export type ListFees = (assetId: string, args: PageArgs) => Promise<Result<Page<Fee>, PageError>>

export const makeListFees =
  (deps: { readonly fees: FeeRepository }): ListFees =>
  async (assetId, args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    // Not an id: no asset, so no fees (and nothing that is not a UUID reaches a uuid column).
    if (!isUuid(assetId)) return ok({ items: [], hasNextPage: false, hasPreviousPage: false })
    const page = await deps.fees.listByAsset(assetId, request.value)
    return page.ok ? page : err('invalid_cursor')
  }
