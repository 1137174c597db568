import type { Asset } from '../../domain/assets/asset.ts'
import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'

export type ListAssets = (args: PageArgs) => Promise<Result<Page<Asset>, PageError>>

export const makeListAssets =
  (deps: { readonly assets: AssetRepository }): ListAssets =>
  async (args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    const page = await deps.assets.list(request.value)
    return page.ok ? page : err('invalid_cursor')
  }
