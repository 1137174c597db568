import type { Quote } from '../../domain/quotes/quote.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'

export type GetQuote = (id: string) => Promise<Quote | undefined>

export const makeGetQuote =
  (deps: { readonly quotes: QuoteRepository }): GetQuote =>
  (id) =>
    isUuid(id) ? deps.quotes.getById(id) : Promise.resolve(undefined)
