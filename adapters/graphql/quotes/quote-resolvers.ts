import { GraphQLError } from 'graphql'
import type { Amount } from '../../../domain/incoming-payments/incoming-payment.ts'
import type { PageArgs } from '../../../domain/pagination/page.ts'
import { ratioValue, type Quote } from '../../../domain/quotes/quote.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import type { WalletAddress } from '../../../domain/wallet-addresses/wallet-address.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type {
  CreateQuote,
  CreateQuoteError,
  CreateQuoteFailure,
} from '../../../application/quotes/create-quote.ts'
import type { GetQuote } from '../../../application/quotes/get-quote.ts'
import type { ListQuotes } from '../../../application/quotes/list-quotes.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type QuoteResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly createQuote: CreateQuote
  readonly getQuote: GetQuote
  readonly listQuotes: ListQuotes
}

// Codes and messages as Rafiki's (open_payments/quote/errors.ts); the last one is ours.
export const quoteErrors = {
  unknown_wallet_address: ['NOT_FOUND', 'unknown wallet address'],
  inactive_wallet_address: ['INACTIVE', 'inactive wallet address'],
  invalid_amount: ['BAD_USER_INPUT', 'invalid amount'],
  invalid_receiver: ['BAD_USER_INPUT', 'invalid receiver'],
  non_positive_receive_amount: ['BAD_USER_INPUT', 'non-positive receive amount'],
  rates_unavailable: ['INTERNAL_SERVER_ERROR', 'could not fetch rates'],
  ilp_quoting_unavailable: [
    'INTERNAL_SERVER_ERROR',
    'quoting a receiver on another node (ILP) is not available yet',
  ],
} as const satisfies Record<CreateQuoteError, ErrorReply>

const notFound: ErrorReply = ['NOT_FOUND', 'quote does not exist']

type CreateQuoteArgs = {
  walletAddressId: string
  receiver: string
  debitAmount?: Amount | null
  receiveAmount?: Amount | null
}

// Rafiki puts the least debit that delivers something in extensions.details.
function failureWithDetails(failure: CreateQuoteFailure & { minSendAmount: Amount }) {
  const [code, message] = quoteErrors[failure.error]
  const { value, assetCode, assetScale } = failure.minSendAmount
  return new GraphQLError(message, {
    extensions: {
      code,
      details: { minSendAmount: { value: String(value), assetCode, assetScale } },
    },
  })
}

export function makeQuoteResolvers(deps: QuoteResolverDeps) {
  return {
    Query: {
      quote: async (_: unknown, args: { id: string }) => {
        const quote = await deps.getQuote(args.id)
        if (!quote) throw graphqlError(notFound)
        return quote
      },
    },
    Mutation: {
      createQuote: idempotentMutation(deps.runIdempotent, async (input: CreateQuoteArgs) => {
        const result = await deps.createQuote(input)
        if (result.ok) return ok({ quote: result.value })
        // Not stored under the idempotency key: a retry quotes again, which changes nothing.
        if (result.minSendAmount)
          throw failureWithDetails({ ...result, minSendAmount: result.minSendAmount })
        return err(quoteErrors[result.error])
      }),
    },
    Quote: {
      createdAt: (quote: Quote) => quote.createdAt.toISOString(),
      expiresAt: (quote: Quote) => quote.expiresAt.toISOString(),
      maxPacketAmount: (quote: Quote) => quote.ilp?.maxPacketAmount ?? null,
      minExchangeRate: (quote: Quote) => quote.ilp && ratioValue(quote.ilp.minExchangeRate),
      lowEstimatedExchangeRate: (quote: Quote) =>
        quote.ilp && ratioValue(quote.ilp.lowEstimatedExchangeRate),
      highEstimatedExchangeRate: (quote: Quote) =>
        quote.ilp && ratioValue(quote.ilp.highEstimatedExchangeRate),
    },
    WalletAddress: {
      quotes: async (walletAddress: WalletAddress, args: PageArgs) => {
        const page = await deps.listQuotes(walletAddress.id, args)
        if (!page.ok) throw graphqlError(pageErrors[page.error])
        return toConnection(page.value)
      },
    },
  }
}
