// An outgoing payment: a quote being paid (Rafiki's OutgoingPayment). Its id is its quote's, so a
// quote pays at most once. FUNDING until the ASE deposits the debit amount, SENDING while the
// worker sends, then COMPLETED or FAILED; only a FUNDING payment can be CANCELLED.
import type { Amount } from '../incoming-payments/incoming-payment.ts'
import type { JsonObject } from '../webhooks/webhook-event.ts'

export const outgoingPaymentStates = [
  'FUNDING',
  'SENDING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
] as const

export type OutgoingPaymentState = (typeof outgoingPaymentStates)[number]

export type OutgoingPayment = {
  /** Also its quote's id and its OUTGOING ledger account's id. */
  readonly id: string
  readonly walletAddressId: string
  readonly quoteId: string
  /** The incoming payment URL paid. */
  readonly receiver: string
  /** In the wallet address's asset, the sending fee included (the quote's). */
  readonly debitAmount: Amount
  /** In the receiver's asset (the quote's). */
  readonly receiveAmount: Amount
  /** Debited from the OUTGOING account by sending so far, in the debit asset. */
  readonly sentAmount: Amount
  readonly state: OutgoingPaymentState
  /** Why it failed; null otherwise. */
  readonly error: string | null
  /** Failed attempts to send so far (retries back off on it). */
  readonly stateAttempts: number
  readonly grantId: string | null
  /** Wallet address URL of the Open Payments client that created it; null from the admin API. */
  readonly client: string | null
  readonly metadata: JsonObject | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

const states: ReadonlySet<string> = new Set(outgoingPaymentStates)

export const isOutgoingPaymentState = (value: string): value is OutgoingPaymentState =>
  states.has(value)

// The state machine: from each state, where it may go.
const transitions = {
  FUNDING: ['SENDING', 'CANCELLED'],
  SENDING: ['COMPLETED', 'FAILED'],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
} as const satisfies Record<OutgoingPaymentState, readonly OutgoingPaymentState[]>

export const canTransition = (from: OutgoingPaymentState, to: OutgoingPaymentState): boolean =>
  (transitions[from] as readonly OutgoingPaymentState[]).includes(to)

/** Settled: nothing more is sent; its unspent liquidity can be withdrawn. */
export const isFinal = (state: OutgoingPaymentState): boolean => transitions[state].length === 0

/** Rafiki's cancel: the reason joins the metadata as `cancellationReason`. */
export function cancelledMetadata(
  metadata: JsonObject | null,
  reason: string | null | undefined,
): JsonObject | null {
  if (reason == null) return metadata
  return { ...metadata, cancellationReason: reason }
}

/** Rafiki's back-off: the n-th retry waits n x 10 s, at most 60 s. */
export const retryBackoffMs = (stateAttempts: number): number => Math.min(stateAttempts, 6) * 10_000

export type AttemptFailure = { readonly retryable: boolean }

export type FailureDecision =
  | { readonly kind: 'retry'; readonly stateAttempts: number; readonly delayMs: number }
  | { readonly kind: 'fail' }

/**
 * After a failed attempt (Rafiki's onLifecycleError): retry a retryable failure while attempts
 * stay under attemptsMax (MAX_OUTGOING_PAYMENT_RETRY_ATTEMPTS), fail otherwise.
 */
export function decideOnFailure(
  stateAttempts: number,
  failure: AttemptFailure,
  attemptsMax: number,
): FailureDecision {
  const attempts = stateAttempts + 1
  if (failure.retryable && attempts < attemptsMax) {
    return { kind: 'retry', stateAttempts: attempts, delayMs: retryBackoffMs(attempts) }
  }
  return { kind: 'fail' }
}

export type SendingPlanInput = {
  readonly debitAmount: bigint
  readonly receiveAmount: bigint
  /** Receive units per debit unit (the quote's estimate). */
  readonly estimatedExchangeRate: number
  /** Debited from the OUTGOING account already (the ledger's word). */
  readonly sent: bigint
  /** What the receiver still takes; null: open-ended. */
  readonly receiverRemaining: bigint | null
}

export type SendingPlan =
  | { readonly kind: 'send'; readonly maxDebit: bigint; readonly maxReceive: bigint }
  /** Nothing is left to deliver: a retry after the money went, or someone else paid. */
  | { readonly kind: 'complete' }
  /** Something left to deliver but nothing left to debit (Rafiki's BadState). */
  | { readonly kind: 'bad_state' }

/** Rafiki's getAdjustedAmounts: what an attempt may still debit and must still deliver. */
export function planSending(input: SendingPlanInput): SendingPlan {
  const maxDebit = input.debitAmount - input.sent
  // An estimate: what went already, at the quote's rate, rounded up (towards the sender).
  const delivered = BigInt(Math.ceil(Number(input.sent) * input.estimatedExchangeRate))
  let maxReceive = input.receiveAmount - delivered
  if (input.receiverRemaining !== null && input.receiverRemaining < maxReceive) {
    maxReceive = input.receiverRemaining
  }
  if (maxReceive <= 0n) return { kind: 'complete' }
  if (maxDebit <= 0n) return { kind: 'bad_state' }
  return { kind: 'send', maxDebit, maxReceive }
}

const versionIndex = 14

/**
 * The id of a ledger transfer the payment itself makes: its funding deposit or one leg of a
 * LOCAL payment. Derived from the payment's id (a random v4 UUID) with the version digit set to
 * 8 and the purpose in the next three digits, so a retry after a crash submits the same id and
 * the ledger applies it once; it can never equal a random (v4) transfer id.
 */
export function paymentTransferId(paymentId: string, purpose: number): string {
  const id = paymentId.toLowerCase()
  const tag = purpose.toString(16).padStart(3, '0')
  return `${id.slice(0, versionIndex)}8${tag}${id.slice(versionIndex + 4)}`
}

/** The transfer purposes of paymentTransferId. */
export const transferPurposes = {
  deposit: 0x001,
  /** The deposit given back to settlement: the payment was cancelled while it was being made. */
  depositReturn: 0x002,
  /** LOCAL legs: the first debits the OUTGOING account, the second credits the receiver. */
  localDebit: 0x010,
  localCredit: 0x011,
  /** Give-backs when the receiver refused the money after the legs were applied. */
  localDebitReturn: 0x020,
  localCreditReturn: 0x021,
} as const

const amountData = (amount: Amount): JsonObject => ({
  value: amount.value.toString(),
  assetCode: amount.assetCode,
  assetScale: amount.assetScale,
})

/** The payment as Rafiki's webhook events show it (toData), with its ledger balance. */
export function outgoingPaymentData(payment: OutgoingPayment, balance: bigint): JsonObject {
  return {
    id: payment.id,
    walletAddressId: payment.walletAddressId,
    ...(payment.client !== null && { client: payment.client }),
    state: payment.state,
    receiver: payment.receiver,
    debitAmount: amountData(payment.debitAmount),
    receiveAmount: amountData(payment.receiveAmount),
    sentAmount: amountData(payment.sentAmount),
    stateAttempts: payment.stateAttempts,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
    balance: balance.toString(),
    ...(payment.metadata !== null && { metadata: payment.metadata }),
    ...(payment.error !== null && { error: payment.error }),
    ...(payment.grantId !== null && { grantId: payment.grantId }),
  }
}
