// Wiring of quotes: the repository and the use cases the admin API (and later Open Payments and
// outgoing payments) call.
import type { Sql } from 'postgres'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { FeeRepository } from '../application/ports/fee-repository.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { QuoteRepository } from '../application/ports/quote-repository.ts'
import type { Rates } from '../application/ports/rates.ts'
import type { IlpQuoter } from '../application/ports/payment-methods.ts'
import type { Receivers } from '../application/ports/receivers.ts'
import type { WalletAddressRepository } from '../application/ports/wallet-address-repository.ts'
import { makeCreateQuote, type CreateQuote } from '../application/quotes/create-quote.ts'
import { makeGetQuote, type GetQuote } from '../application/quotes/get-quote.ts'
import { makeListQuotes, type ListQuotes } from '../application/quotes/list-quotes.ts'
import { makePostgresQuoteRepository } from '../adapters/postgres/quote-repository.ts'
import type { Config } from './config.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

export const quoteTokens = {
  quoteRepository: token<QuoteRepository>('QuoteRepository'),
  createQuote: token<CreateQuote>('CreateQuote'),
  getQuote: token<GetQuote>('GetQuote'),
  listQuotes: token<ListQuotes>('ListQuotes'),
} as const

/** The tokens of the rest of the graph that quotes depend on. */
export type QuoteBaseTokens = {
  readonly config: Token<Config>
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly sql: Token<Sql>
  readonly assetRepository: Token<AssetRepository>
  readonly walletAddressRepository: Token<WalletAddressRepository>
  readonly feeRepository: Token<FeeRepository>
  readonly rates: Token<Rates>
  readonly receivers: Token<Receivers>
  readonly ilpQuoter: Token<IlpQuoter>
}

export function registerQuotes(factory: Factory, base: QuoteBaseTokens): void {
  const t = quoteTokens
  factory(t.quoteRepository, (get) => makePostgresQuoteRepository(get(base.sql)))
  const deps = (get: Get) => ({
    walletAddresses: get(base.walletAddressRepository),
    assets: get(base.assetRepository),
    fees: get(base.feeRepository),
    receivers: get(base.receivers),
    ilpQuoter: get(base.ilpQuoter),
    rates: get(base.rates),
    quotes: get(t.quoteRepository),
    clock: get(base.clock),
    ids: get(base.ids),
    lifespanMs: get(base.config).QUOTE_LIFESPAN,
  })
  factory(t.createQuote, (get) => makeCreateQuote(deps(get)))
  factory(t.getQuote, (get) => makeGetQuote(deps(get)))
  factory(t.listQuotes, (get) => makeListQuotes(deps(get)))
}
