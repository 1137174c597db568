import type { Quote } from '../../domain/quotes/quote.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { QuoteRepository } from '../../application/ports/quote-repository.ts'
import { pageOf } from './memory-page.ts'

/** In-process QuoteRepository for unit tests; same rules as the SQL one. */
export function makeMemoryQuoteRepository(): QuoteRepository {
  const rows = new Map<string, Quote>()
  return {
    async create(quote) {
      assert(!rows.has(quote.id), `quote ${quote.id} already exists`)
      rows.set(quote.id, quote)
      return quote
    },
    async getById(id) {
      return rows.get(id)
    },
    async listByWalletAddress(walletAddressId, request, client) {
      const listed = [...rows.values()].filter(
        (row) =>
          row.walletAddressId === walletAddressId &&
          (client === undefined || row.client === client),
      )
      return pageOf(listed, request)
    },
  }
}
