// A quote: what a payment from a wallet address to a receiver will debit and deliver, fixed
// until it expires (Rafiki's Quote, with its ILP details where Rafiki keeps them apart).
import type { Amount } from '../incoming-payments/incoming-payment.ts'

/** How the payment will move the money: a ledger transfer on this node, or STREAM over ILP. */
export type QuoteMethod = 'LOCAL' | 'ILP'

/** An exact ratio of destination base units to source base units (@interledger/pay's Ratio). */
export type Ratio = {
  readonly numerator: bigint
  readonly denominator: bigint
}

/** What the ILP probe learned; the payment needs it to send (Rafiki's ilpQuoteDetails). */
export type IlpQuoteDetails = {
  readonly maxPacketAmount: bigint
  /** The rate every packet must meet: the probed low rate less SLIPPAGE. */
  readonly minExchangeRate: Ratio
  readonly lowEstimatedExchangeRate: Ratio
  readonly highEstimatedExchangeRate: Ratio
}

export type Quote = {
  readonly id: string
  readonly walletAddressId: string
  /** The incoming payment URL paid. */
  readonly receiver: string
  /** Wallet address URL of the Open Payments client that created it; null from the admin API. */
  readonly client: string | null
  readonly method: QuoteMethod
  /** In the wallet address's asset; the sending fee included. */
  readonly debitAmount: Amount
  /** What is sent on once the fee is taken: debitAmount less the fee. */
  readonly debitAmountMinusFees: bigint
  /** In the receiver's asset. */
  readonly receiveAmount: Amount
  /** Receive units per debit unit (scales applied), for display only: amounts are exact. */
  readonly estimatedExchangeRate: number
  /** The SENDING fee of the debit asset in force when quoted; null when none was set. */
  readonly feeId: string | null
  /** null for LOCAL quotes. */
  readonly ilp: IlpQuoteDetails | null
  readonly expiresAt: Date
  readonly createdAt: Date
}

/** Rafiki's QUOTE_LIFESPAN default: 5 minutes. */
export const quoteLifespanMsDefault = 300_000

/** now + lifespanMs, or the receiver's expiry when that comes first. */
export function quoteExpiresAt(
  nowMs: number,
  lifespanMs: number,
  receiverExpiresAt: Date | null,
): Date {
  const own = nowMs + lifespanMs
  return receiverExpiresAt !== null && receiverExpiresAt.getTime() < own
    ? receiverExpiresAt
    : new Date(own)
}

export const isQuoteExpired = (quote: Quote, nowMs: number): boolean =>
  quote.expiresAt.getTime() <= nowMs

/** A ratio as a float, for the admin API's Float fields. */
export const ratioValue = (ratio: Ratio): number =>
  Number(ratio.numerator) / Number(ratio.denominator)
