import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { ActiveWalletAddress } from '../../../application/wallet-addresses/get-active-wallet-address.ts'
import type { CompleteIncomingPayment } from '../../../application/incoming-payments/complete-incoming-payment.ts'
import type {
  CreateIncomingPayment,
  CreateIncomingPaymentError,
} from '../../../application/incoming-payments/create-incoming-payment.ts'
import type { GetIncomingPayment } from '../../../application/incoming-payments/get-incoming-payment.ts'
import type { ListIncomingPayments } from '../../../application/incoming-payments/list-incoming-payments.ts'
import type { IncomingPayment } from '../../../domain/incoming-payments/incoming-payment.ts'
import { listPageArgs, listQuerySchema, pageErrorReply, paginationJson } from './list-query.ts'
import type { JsonObject } from '../../../domain/webhooks/webhook-event.ts'
import type { StreamCredentials } from '../../../application/ports/stream-receiver.ts'
import { isActive } from '../../../domain/incoming-payments/incoming-payment.ts'
import {
  amountJson,
  amountSchema,
  authorizeOrRefuse,
  dateTimeSchema,
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

export type IncomingPaymentRoutesDeps = OpResourceDeps & {
  readonly createIncomingPayment: CreateIncomingPayment
  readonly getIncomingPayment: GetIncomingPayment
  readonly listIncomingPayments: ListIncomingPayments
  readonly completeIncomingPayment: CompleteIncomingPayment
  /** STREAM credentials for an incoming payment (ILP address and shared secret). */
  readonly streamCredentials: (paymentId: string) => StreamCredentials
}

const createBodySchema = v.strictObject({
  walletAddress: httpUrlSchema,
  incomingAmount: v.optional(amountSchema),
  expiresAt: v.optional(dateTimeSchema),
  metadata: v.optional(v.record(v.string(), v.unknown())),
})

const unknownWalletAddress = notFound('Unknown or inactive wallet address')
const unknownPayment = notFound('Unknown incoming payment')

/**
 * POST /incoming-payments, GET /incoming-payments (list), GET /incoming-payments/{id} (the
 * public view without Authorization) and POST /incoming-payments/{id}/complete. Each request is
 * validated, then authorized (token and signature), and only then touches data.
 */
export function makeIncomingPaymentRoutes(deps: IncomingPaymentRoutesDeps): Hono {
  const resourceServerUrl = deps.resourceServerUrl.replace(/\/+$/, '')
  const toJson = (payment: IncomingPayment, walletAddressUrl: string) =>
    openPaymentsIncomingPayment(payment, walletAddressUrl, resourceServerUrl)
  // Only a payment that can still receive offers a way to pay it.
  const methods = (payment: IncomingPayment) => {
    if (!isActive(payment.state)) return []
    const { ilpAddress, sharedSecret } = deps.streamCredentials(payment.id)
    return [{ type: 'ilp', ilpAddress, sharedSecret: sharedSecret.toString('base64url') }]
  }
  /**
   * The payment of the path, once the request is authorized for `action` on its wallet address;
   * a payment the token's client may not see is as unknown as a missing one.
   */
  const authorizedPayment = async (
    c: Context,
    action: 'read' | 'complete',
    body: string | undefined,
  ): Promise<{ payment: IncomingPayment; walletAddressUrl: string } | Response> => {
    const payment = await deps.getIncomingPayment(c.req.param('id') ?? '')
    const walletAddressUrl = payment && (await deps.getWalletAddressUrl(payment.walletAddressId))
    if (!payment || !walletAddressUrl) return opError(c, unknownPayment)
    const access = { type: 'incoming-payment', action, identifier: walletAddressUrl } as const
    const authorized = await authorizeOrRefuse(c, deps, access, body)
    if (authorized instanceof Response) return authorized
    if (authorized.restrictedToClient && payment.client !== authorized.clientId) {
      return opError(c, unknownPayment)
    }
    return { payment, walletAddressUrl }
  }

  return new Hono()
    .post('/incoming-payments', async (c) => {
      const body = await readJsonBody(c)
      if (isReply(body)) return opError(c, body)
      const parsed = v.safeParse(createBodySchema, body.json)
      if (!parsed.success) return opError(c, invalidRequest(describeIssues(parsed.issues)))
      const input = parsed.output
      const access = {
        type: 'incoming-payment',
        action: 'create',
        identifier: input.walletAddress,
      } as const
      const authorized = await authorizeOrRefuse(c, deps, access, body.text)
      if (authorized instanceof Response) return authorized
      const found = await deps.findWalletAddress(input.walletAddress)
      if (!found) return opError(c, unknownWalletAddress)
      const created = await deps.createIncomingPayment({
        walletAddressId: found.walletAddress.id,
        client: authorized.clientId,
        expiresAt: input.expiresAt,
        metadata: input.metadata as JsonObject | undefined,
        incomingAmount: input.incomingAmount,
      })
      if (!created.ok) return opError(c, createError(created.error, found))
      const payment = created.value
      return c.json({ ...toJson(payment, found.walletAddress.url), methods: methods(payment) }, 201)
    })
    .get('/incoming-payments', async (c) => {
      const parsed = v.safeParse(listQuerySchema, c.req.query())
      if (!parsed.success) return opError(c, invalidRequest(describeIssues(parsed.issues)))
      const query = parsed.output
      const walletAddressUrl = query['wallet-address']
      const access = {
        type: 'incoming-payment',
        action: 'list',
        identifier: walletAddressUrl,
      } as const
      const authorized = await authorizeOrRefuse(c, deps, access, undefined)
      if (authorized instanceof Response) return authorized
      const found = await deps.findWalletAddress(walletAddressUrl)
      if (!found) return opError(c, unknownWalletAddress)
      const page = await deps.listIncomingPayments(
        found.walletAddress.id,
        listPageArgs(query),
        authorized.restrictedToClient ? authorized.clientId : undefined,
      )
      if (!page.ok) return opError(c, pageErrorReply(page.error, 'incoming payments'))
      return c.json({
        pagination: paginationJson(page.value),
        result: page.value.items.map((payment) => toJson(payment, found.walletAddress.url)),
      })
    })
    .get('/incoming-payments/:id', async (c) => {
      if (c.req.header('authorization') === undefined) {
        const payment = await deps.getIncomingPayment(c.req.param('id'))
        if (!payment) return opError(c, unknownPayment)
        return c.json({
          receivedAmount: amountJson(payment.receivedAmount),
          authServer: deps.authServerUrl,
        })
      }
      const found = await authorizedPayment(c, 'read', undefined)
      if (found instanceof Response) return found
      const { payment, walletAddressUrl } = found
      return c.json({ ...toJson(payment, walletAddressUrl), methods: methods(payment) })
    })
    .post('/incoming-payments/:id/complete', async (c) => {
      const found = await authorizedPayment(c, 'complete', await c.req.text())
      if (found instanceof Response) return found
      const { payment, walletAddressUrl } = found
      const completed = await deps.completeIncomingPayment(payment.id)
      if (completed.ok) return c.json(toJson(completed.value, walletAddressUrl))
      return completed.error === 'unknown_incoming_payment'
        ? opError(c, unknownPayment)
        : opError(c, {
            status: 409,
            code: 'conflict',
            description: `The incoming payment is ${payment.state}, it cannot be completed`,
          })
    })
}

function createError(
  error: CreateIncomingPaymentError,
  { asset }: ActiveWalletAddress,
): OpErrorReply {
  const replies = {
    unknown_wallet_address: unknownWalletAddress,
    inactive_wallet_address: unknownWalletAddress,
    invalid_expiry: invalidRequest(
      'expiresAt must be in the future and no later than the maximum expiry (INCOMING_PAYMENT_EXPIRY_MAX_MS) from now',
    ),
    invalid_amount: invalidRequest(
      `incomingAmount must be a positive amount in the wallet address's asset (${asset.code}, scale ${asset.scale})`,
    ),
  } as const satisfies Record<CreateIncomingPaymentError, OpErrorReply>
  return replies[error]
}

/** The Open Payments `incoming-payment` object (no updatedAt: the spec forbids extra fields). */
export function openPaymentsIncomingPayment(
  payment: IncomingPayment,
  walletAddressUrl: string,
  resourceServerUrl: string,
) {
  return {
    id: `${resourceServerUrl}/incoming-payments/${payment.id}`,
    walletAddress: walletAddressUrl,
    completed: payment.state === 'COMPLETED',
    ...(payment.incomingAmount && { incomingAmount: amountJson(payment.incomingAmount) }),
    receivedAmount: amountJson(payment.receivedAmount),
    expiresAt: payment.expiresAt.toISOString(),
    ...(payment.metadata && { metadata: payment.metadata }),
    createdAt: payment.createdAt.toISOString(),
  }
}
