import { Hono } from 'hono'
import * as v from 'valibot'
import type {
  CreateQuote,
  CreateQuoteError,
  CreateQuoteFailure,
} from '../../../application/quotes/create-quote.ts'
import type { GetQuote } from '../../../application/quotes/get-quote.ts'
import type { Quote } from '../../../domain/quotes/quote.ts'
import {
  amountJson,
  amountSchema,
  authorizeOrRefuse,
  describeIssues,
  httpUrlSchema,
  invalidRequest,
  isReply,
  notFound,
  opError,
  readJsonBody,
  type OpResourceDeps,
  type OpErrorReply,
} from './op-http.ts'

export type QuoteRoutesDeps = OpResourceDeps & {
  readonly createQuote: CreateQuote
  readonly getQuote: GetQuote
}

// The spec's oneOf: the receiver's incomingAmount, a fixed receive, or a fixed send; never both.
const createBodySchema = v.pipe(
  v.strictObject({
    walletAddress: httpUrlSchema,
    receiver: v.pipe(
      httpUrlSchema,
      v.regex(/^https?:\/\/.+\/incoming-payments\/.+$/i, 'must be an incoming payment URL'),
    ),
    method: v.literal('ilp', 'must be "ilp"'),
    debitAmount: v.optional(amountSchema),
    receiveAmount: v.optional(amountSchema),
  }),
  v.check(
    (body) => body.debitAmount === undefined || body.receiveAmount === undefined,
    'give debitAmount or receiveAmount, not both',
  ),
)

const unknownWalletAddress = notFound('Unknown or inactive wallet address')
const unknownQuote = notFound('Quote does not exist')

// Rafiki's codes (QuoteErrorCode in snake case) and messages; the last two are ours.
const createErrors = {
  unknown_wallet_address: unknownWalletAddress,
  inactive_wallet_address: {
    status: 400,
    code: 'inactive_wallet_address',
    description: 'inactive wallet address',
  },
  invalid_amount: { status: 400, code: 'invalid_amount', description: 'invalid amount' },
  invalid_receiver: { status: 400, code: 'invalid_receiver', description: 'invalid receiver' },
  non_positive_receive_amount: {
    status: 400,
    code: 'non_positive_receive_amount',
    description: 'non-positive receive amount',
  },
  rates_unavailable: {
    status: 503,
    code: 'rates_unavailable',
    description: 'could not fetch rates',
  },
  ilp_quoting_unavailable: {
    status: 503,
    code: 'ilp_quoting_unavailable',
    description: 'quoting a receiver on another node (ILP) is not available',
  },
} as const satisfies Record<CreateQuoteError, OpErrorReply>

/** The reply to a failed createQuote; Rafiki puts the least useful debit in its details. */
export function quoteCreateError(failure: CreateQuoteFailure): OpErrorReply {
  const reply = createErrors[failure.error]
  if (failure.minSendAmount === undefined) return reply
  return { ...reply, details: { minSendAmount: amountJson(failure.minSendAmount) } }
}

/**
 * POST /quotes and GET /quotes/{id}. Each request is validated, then authorized (token and
 * signature) for `quote` access on the quote's wallet address, and only then touches data.
 */
export function makeQuoteRoutes(deps: QuoteRoutesDeps): Hono {
  const resourceServerUrl = deps.resourceServerUrl.replace(/\/+$/, '')
  return new Hono()
    .post('/quotes', async (c) => {
      const body = await readJsonBody(c)
      if (isReply(body)) return opError(c, body)
      const parsed = v.safeParse(createBodySchema, body.json)
      if (!parsed.success) return opError(c, invalidRequest(describeIssues(parsed.issues)))
      const input = parsed.output
      const access = { type: 'quote', action: 'create', identifier: input.walletAddress } as const
      const authorized = await authorizeOrRefuse(c, deps, access, body.text)
      if (authorized instanceof Response) return authorized
      const found = await deps.findWalletAddress(input.walletAddress)
      if (!found) return opError(c, unknownWalletAddress)
      const created = await deps.createQuote({
        walletAddressId: found.walletAddress.id,
        receiver: input.receiver,
        debitAmount: input.debitAmount,
        receiveAmount: input.receiveAmount,
        client: authorized.clientId,
      })
      if (!created.ok) return opError(c, quoteCreateError(created))
      return c.json(
        openPaymentsQuote(created.value, found.walletAddress.url, resourceServerUrl),
        201,
      )
    })
    .get('/quotes/:id', async (c) => {
      const quote = await deps.getQuote(c.req.param('id'))
      const walletAddressUrl = quote && (await deps.getWalletAddressUrl(quote.walletAddressId))
      if (!quote || !walletAddressUrl) return opError(c, unknownQuote)
      const access = { type: 'quote', action: 'read', identifier: walletAddressUrl } as const
      const authorized = await authorizeOrRefuse(c, deps, access, undefined)
      if (authorized instanceof Response) return authorized
      // A `read` grant sees only its client's quotes: another's is as unknown as a missing one.
      if (authorized.restrictedToClient && quote.client !== authorized.clientId) {
        return opError(c, unknownQuote)
      }
      return c.json(openPaymentsQuote(quote, walletAddressUrl, resourceServerUrl))
    })
}

/** The Open Payments `quote` object (no extra fields: the spec forbids them). */
export function openPaymentsQuote(
  quote: Quote,
  walletAddressUrl: string,
  resourceServerUrl: string,
) {
  return {
    id: `${resourceServerUrl}/quotes/${quote.id}`,
    walletAddress: walletAddressUrl,
    receiver: quote.receiver,
    receiveAmount: amountJson(quote.receiveAmount),
    debitAmount: amountJson(quote.debitAmount),
    method: 'ilp',
    createdAt: quote.createdAt.toISOString(),
    expiresAt: quote.expiresAt.toISOString(),
  } as const
}
