import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Quote } from '../../domain/quotes/quote.ts'
import type { Result } from '../../domain/shared/result.ts'

/** Already computed and validated by createQuote, for a wallet address the caller found. */
export type NewQuote = Quote

/** Quotes never change once created; a payment refers to one and checks its expiry. */
export interface QuoteRepository {
  create(quote: NewQuote): Promise<Quote>
  getById(id: string): Promise<Quote | undefined>
  /**
   * In (createdAt, id) order; only `client`'s when given. unknown_cursor when the cursor is not
   * one of the listed quotes.
   */
  listByWalletAddress(
    walletAddressId: string,
    request: PageRequest,
    client?: string,
  ): Promise<Result<Page<Quote>, 'unknown_cursor'>>
}
