import { Hono } from 'hono'
import * as v from 'valibot'
import type { CreateOutgoingPaymentFromIncomingPayment } from '../../../application/outgoing-payments/create-outgoing-payment-from-incoming-payment.ts'
import type {
  CreateOutgoingPayment,
  CreateOutgoingPaymentError,
  CreatedOutgoingPayment,
} from '../../../application/outgoing-payments/create-outgoing-payment.ts'
import type { GetGrantSpentAmounts } from '../../../application/outgoing-payments/get-grant-spent-amounts.ts'
import type { GetOutgoingPayment } from '../../../application/outgoing-payments/get-outgoing-payment.ts'
import type { ListOutgoingPayments } from '../../../application/outgoing-payments/list-outgoing-payments.ts'
import type { CreateQuoteFailure } from '../../../application/quotes/create-quote.ts'
import type { OutgoingPayment } from '../../../domain/outgoing-payments/outgoing-payment.ts'
import type { JsonObject } from '../../../domain/webhooks/webhook-event.ts'
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
import { listPageArgs, listQuerySchema, pageErrorReply, paginationJson } from './list-query.ts'
import { quoteCreateError } from './quote-routes.ts'

export type OutgoingPaymentRoutesDeps = OpResourceDeps & {
  readonly createOutgoingPayment: CreateOutgoingPayment
  readonly createOutgoingPaymentFromIncomingPayment: CreateOutgoingPaymentFromIncomingPayment
  readonly getOutgoingPayment: GetOutgoingPayment
  readonly listOutgoingPayments: ListOutgoingPayments
  readonly getGrantSpentAmounts: GetGrantSpentAmounts
}

const metadataSchema = v.optional(v.record(v.string(), v.unknown()))

// The spec's oneOf: pay a quote, or an incoming payment for a fixed debit.
const createBodySchema = v.union(
  [
    v.strictObject({
      walletAddress: httpUrlSchema,
      quoteId: httpUrlSchema,
      metadata: metadataSchema,
    }),
    v.strictObject({
      walletAddress: httpUrlSchema,
      incomingPayment: v.pipe(
        httpUrlSchema,
        v.regex(/^https?:\/\/.+\/incoming-payments\/.+$/i, 'must be an incoming payment URL'),
      ),
      debitAmount: amountSchema,
      metadata: metadataSchema,
    }),
  ],
  'give {walletAddress, quoteId} or {walletAddress, incomingPayment, debitAmount}, metadata optional',
)

const unknownWalletAddress = notFound('Unknown or inactive wallet address')
const unknownPayment = notFound('Unknown outgoing payment')

// Rafiki's OutgoingPaymentError: errorToHTTPCode and errorToMessage.
const createErrors = {
  unknown_wallet_address: unknownWalletAddress,
  inactive_wallet_address: {
    status: 400,
    code: 'inactive_wallet_address',
    description: 'inactive wallet address',
  },
  unknown_quote: notFound('unknown quote'),
  invalid_quote: { status: 400, code: 'invalid_quote', description: 'invalid quote' },
  insufficient_grant: { status: 403, code: 'insufficient_grant', description: 'unauthorized' },
} as const satisfies Record<CreateOutgoingPaymentError, OpErrorReply>

const createError = (failure: { error: CreateOutgoingPaymentError } | CreateQuoteFailure) =>
  failure.error in createErrors
    ? createErrors[failure.error as CreateOutgoingPaymentError]
    : quoteCreateError(failure as CreateQuoteFailure)

/**
 * POST /outgoing-payments, GET /outgoing-payments (list), GET /outgoing-payments/{id} and GET
 * /outgoing-payment-grant. Each request is validated, then authorized (token and signature) for
 * `outgoing-payment` access on the wallet address, and only then touches data. A payment
 * created under a grant keeps the grant's id, and the grant's limits are checked as it is made.
 */
export function makeOutgoingPaymentRoutes(deps: OutgoingPaymentRoutesDeps): Hono {
  const resourceServerUrl = deps.resourceServerUrl.replace(/\/+$/, '')
  const toJson = (payment: OutgoingPayment, walletAddressUrl: string) =>
    openPaymentsOutgoingPayment(payment, walletAddressUrl, resourceServerUrl)
  return new Hono()
    .post('/outgoing-payments', async (c) => {
      const body = await readJsonBody(c)
      if (isReply(body)) return opError(c, body)
      const parsed = v.safeParse(createBodySchema, body.json)
      if (!parsed.success) return opError(c, invalidRequest(describeIssues(parsed.issues)))
      const input = parsed.output
      const access = {
        type: 'outgoing-payment',
        action: 'create',
        identifier: input.walletAddress,
      } as const
      const authorized = await authorizeOrRefuse(c, deps, access, body.text)
      if (authorized instanceof Response) return authorized
      const found = await deps.findWalletAddress(input.walletAddress)
      if (!found) return opError(c, unknownWalletAddress)
      const common = {
        walletAddressId: found.walletAddress.id,
        metadata: input.metadata as JsonObject | undefined,
        client: authorized.clientId,
        grantId: authorized.grantId,
        limits: authorized.limits,
      }
      const created =
        'quoteId' in input
          ? await deps.createOutgoingPayment({ ...common, quoteId: lastSegment(input.quoteId) })
          : await deps.createOutgoingPaymentFromIncomingPayment({
              ...common,
              incomingPayment: input.incomingPayment,
              debitAmount: input.debitAmount,
            })
      if (!created.ok) return opError(c, createError(created))
      return c.json(
        withSpentAmounts(created.value, toJson(created.value, found.walletAddress.url)),
        201,
      )
    })
    .get('/outgoing-payments', async (c) => {
      const parsed = v.safeParse(listQuerySchema, c.req.query())
      if (!parsed.success) return opError(c, invalidRequest(describeIssues(parsed.issues)))
      const query = parsed.output
      const walletAddressUrl = query['wallet-address']
      const access = {
        type: 'outgoing-payment',
        action: 'list',
        identifier: walletAddressUrl,
      } as const
      const authorized = await authorizeOrRefuse(c, deps, access, undefined)
      if (authorized instanceof Response) return authorized
      const found = await deps.findWalletAddress(walletAddressUrl)
      if (!found) return opError(c, unknownWalletAddress)
      const page = await deps.listOutgoingPayments({
        ...listPageArgs(query),
        walletAddressId: found.walletAddress.id,
        ...(authorized.restrictedToClient && { client: authorized.clientId }),
      })
      if (!page.ok) {
        return opError(
          c,
          page.error === 'filter_too_long'
            ? invalidRequest('filter too long')
            : pageErrorReply(page.error, 'outgoing payments'),
        )
      }
      return c.json({
        pagination: paginationJson(page.value),
        result: page.value.items.map((payment) => toJson(payment, found.walletAddress.url)),
      })
    })
    .get('/outgoing-payments/:id', async (c) => {
      const payment = await deps.getOutgoingPayment(c.req.param('id'))
      const walletAddressUrl = payment && (await deps.getWalletAddressUrl(payment.walletAddressId))
      if (!payment || !walletAddressUrl) return opError(c, unknownPayment)
      const access = {
        type: 'outgoing-payment',
        action: 'read',
        identifier: walletAddressUrl,
      } as const
      const authorized = await authorizeOrRefuse(c, deps, access, undefined)
      if (authorized instanceof Response) return authorized
      // A `read` grant sees only its client's payments: another's is as unknown as a missing one.
      if (authorized.restrictedToClient && payment.client !== authorized.clientId) {
        return opError(c, unknownPayment)
      }
      return c.json(toJson(payment, walletAddressUrl))
    })
    .get('/outgoing-payment-grant', async (c) => {
      // About the token's own grant: no wallet address to name, any outgoing-payment create.
      const access = { type: 'outgoing-payment', action: 'create' } as const
      const authorized = await authorizeOrRefuse(c, deps, access, undefined)
      if (authorized instanceof Response) return authorized
      const spent = await deps.getGrantSpentAmounts({
        grantId: authorized.grantId,
        limits: authorized.limits,
      })
      return c.json({
        spentDebitAmount: spent.debit && amountJson(spent.debit),
        spentReceiveAmount: spent.receive && amountJson(spent.receive),
      })
    })
}

/** Rafiki takes the quote id from the end of the quote URL (a trailing slash allowed). */
const lastSegment = (url: string): string => url.replace(/\/+$/, '').split('/').at(-1) ?? ''

function withSpentAmounts<T extends object>(payment: CreatedOutgoingPayment, json: T) {
  const { grantSpentDebitAmount: debit, grantSpentReceiveAmount: receive } = payment
  return {
    ...json,
    ...(debit && { grantSpentDebitAmount: amountJson(debit) }),
    ...(receive && { grantSpentReceiveAmount: amountJson(receive) }),
  }
}

/** The Open Payments `outgoing-payment` object (no updatedAt: the spec forbids extra fields). */
export function openPaymentsOutgoingPayment(
  payment: OutgoingPayment,
  walletAddressUrl: string,
  resourceServerUrl: string,
) {
  return {
    id: `${resourceServerUrl}/outgoing-payments/${payment.id}`,
    walletAddress: walletAddressUrl,
    quoteId: `${resourceServerUrl}/quotes/${payment.quoteId}`,
    failed: payment.state === 'FAILED',
    receiver: payment.receiver,
    receiveAmount: amountJson(payment.receiveAmount),
    debitAmount: amountJson(payment.debitAmount),
    sentAmount: amountJson(payment.sentAmount),
    ...(payment.metadata && { metadata: payment.metadata }),
    createdAt: payment.createdAt.toISOString(),
  }
}
