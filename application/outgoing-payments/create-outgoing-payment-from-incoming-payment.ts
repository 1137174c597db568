import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import type { AccessLimits } from '../../domain/open-payments/access.ts'
import { err, type Err, type Ok } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import type { CreateQuote, CreateQuoteFailure } from '../quotes/create-quote.ts'
import type {
  CreateOutgoingPayment,
  CreateOutgoingPaymentError,
  CreatedOutgoingPayment,
} from './create-outgoing-payment.ts'

export type CreateOutgoingPaymentFromIncomingPaymentInput = {
  readonly walletAddressId: string
  /** The incoming payment URL to pay. */
  readonly incomingPayment: string
  readonly debitAmount: Amount
  readonly metadata?: JsonObject | null | undefined
  readonly client?: string | undefined
  readonly grantId?: string | undefined
  readonly limits?: AccessLimits | undefined
}

export type CreateOutgoingPaymentFromIncomingPaymentResult =
  Ok<CreatedOutgoingPayment> | CreateQuoteFailure | Err<CreateOutgoingPaymentError>

export type CreateOutgoingPaymentFromIncomingPayment = (
  input: CreateOutgoingPaymentFromIncomingPaymentInput,
) => Promise<CreateOutgoingPaymentFromIncomingPaymentResult>

/** Rafiki's: a fixed-send quote to the incoming payment, then the payment of that quote. */
export const makeCreateOutgoingPaymentFromIncomingPayment =
  (deps: {
    readonly createQuote: CreateQuote
    readonly createOutgoingPayment: CreateOutgoingPayment
  }): CreateOutgoingPaymentFromIncomingPayment =>
  async (input) => {
    const quote = await deps.createQuote({
      walletAddressId: input.walletAddressId,
      receiver: input.incomingPayment,
      debitAmount: input.debitAmount,
      client: input.client,
    })
    if (!quote.ok) return quote
    const payment = await deps.createOutgoingPayment({
      walletAddressId: input.walletAddressId,
      quoteId: quote.value.id,
      metadata: input.metadata,
      client: input.client,
      grantId: input.grantId,
      limits: input.limits,
    })
    return payment.ok ? payment : err(payment.error)
  }
