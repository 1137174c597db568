import type { IncomingPayment } from '../incoming-payments/incoming-payment.ts'
import type { JsonObject } from '../webhooks/webhook-event.ts'

export const paymentTypes = ['INCOMING', 'OUTGOING'] as const

export type PaymentType = (typeof paymentTypes)[number]

/** An incoming or outgoing payment as the admin `payments` list shows it (Rafiki's Payment). */
export type Payment = {
  readonly id: string
  readonly type: PaymentType
  readonly walletAddressId: string
  /** Wallet address URL of the Open Payments client that created it; null from the admin API. */
  readonly client: string | null
  /** An IncomingPaymentState or an OutgoingPaymentState, by type. */
  readonly state: string
  readonly metadata: JsonObject | null
  readonly createdAt: Date
}

const types: ReadonlySet<string> = new Set(paymentTypes)

export const isPaymentType = (value: string): value is PaymentType => types.has(value)

export const paymentOfIncoming = (payment: IncomingPayment): Payment => ({
  id: payment.id,
  type: 'INCOMING',
  walletAddressId: payment.walletAddressId,
  client: payment.client,
  state: payment.state,
  metadata: payment.metadata,
  createdAt: payment.createdAt,
})
