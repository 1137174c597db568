import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import type { Quote } from '../../domain/quotes/quote.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'

/** A wallet address's quotes (WalletAddress.quotes); an unknown wallet address has none. */
export type ListQuotes = (
  walletAddressId: string,
  args: PageArgs,
) => Promise<Result<Page<Quote>, PageError>>

export const makeListQuotes =
  (deps: { readonly quotes: QuoteRepository }): ListQuotes =>
  async (walletAddressId, args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    if (!isUuid(walletAddressId)) {
      return ok({ items: [], hasNextPage: false, hasPreviousPage: false })
    }
    const page = await deps.quotes.listByWalletAddress(walletAddressId, request.value)
    return page.ok ? page : err('invalid_cursor')
  }
