// How money reaches a receiver: a ledger transfer when the receiver is on this node (LOCAL), or
// STREAM over ILP through this node's own connector pipeline when it is not (ILP).
import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import type { IlpQuoteDetails, Quote } from '../../domain/quotes/quote.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { LocalAccount } from '../connector/accounts.ts'

export type IlpQuoteInput = {
  /** The sending wallet address's asset (its ledger, scale, code). */
  readonly source: LocalAccount['asset']
  readonly receiver: Receiver
  /** Fixed-send: what will be sent on (the debit less the sending fee). */
  readonly sendAmount?: bigint
  /** Fixed-receive: what must arrive. */
  readonly receiveAmount?: bigint
}

export type IlpQuote = {
  /** What will be sent on, in the source asset (fixed-receive: enough for receiveAmount). */
  readonly sendAmount: bigint
  /** What will arrive at least, in the receiver's asset, at the minimum exchange rate. */
  readonly receiveAmount: bigint
  readonly details: IlpQuoteDetails
}

export type IlpQuoteError =
  /** The path answered nothing usable: no route, no STREAM receiver, refused. */
  | 'receiver_unreachable'
  /** The path's rate delivers nothing for this amount. */
  | 'non_positive_receive_amount'

/** Probes the path to a remote receiver with unfulfillable packets to learn its rate. */
export interface IlpQuoter {
  quote(input: IlpQuoteInput): Promise<Result<IlpQuote, IlpQuoteError>>
}

export type PayInput = {
  /** The outgoing payment's id: ledger transfers and STREAM data are tagged with it. */
  readonly paymentId: string
  /** The outgoing payment's OUTGOING liquidity account, in the wallet address's asset. */
  readonly source: LocalAccount
  readonly receiver: Receiver
  readonly quote: Quote
  /** The most this attempt may debit: the payment's debit less what it has sent already. */
  readonly maxDebit: bigint
  /** What the receiver must still get: the quote's receive amount less what already arrived. */
  readonly receiveAmount: Amount
}

export type PayProgress = {
  /** Debited from the source account by this attempt (fulfilled packets, posted transfers). */
  readonly debited: bigint
  /** Received by the receiver in this attempt, in its asset. */
  readonly delivered: bigint
}

export type PayError =
  | 'receiver_unreachable'
  | 'receiver_completed_or_expired'
  | 'insufficient_liquidity'
  /** The path's rate fell below the quote's minimum. */
  | 'rate_too_low'
  | 'internal'

export type PayFailure = PayProgress & {
  readonly error: PayError
  /** Worth another attempt later (back-off), rather than failing the payment now. */
  readonly retryable: boolean
}

/**
 * Sends one attempt of a payment. Never debits more than maxDebit; what it did debit and
 * deliver is reported even when it fails, so a retry carries on from there.
 */
export interface PaymentMethod {
  pay(input: PayInput): Promise<Result<PayProgress, PayFailure>>
}
