// A receiver: an incoming payment, on this node or another, as a sender sees it (Rafiki's
// Receiver). Quotes and outgoing payments pay receivers; they never look at another node's
// incoming payment in any other way.
import type { Amount } from '../incoming-payments/incoming-payment.ts'
import type { JsonObject } from '../webhooks/webhook-event.ts'

/** STREAM credentials of a receiver's `ilp` payment method. */
export type IlpMethod = {
  readonly ilpAddress: string
  readonly sharedSecret: Buffer
}

export type Receiver = {
  /** The incoming payment's URL: `{walletAddressUrl}/incoming-payments/{id}`. */
  readonly id: string
  readonly walletAddressUrl: string
  readonly assetCode: string
  readonly assetScale: number
  /** null: open-ended. */
  readonly incomingAmount: Amount | null
  readonly receivedAmount: Amount
  readonly completed: boolean
  readonly expiresAt: Date | null
  readonly metadata: JsonObject | null
  readonly createdAt: Date
  readonly updatedAt: Date
  /** Where to send it money; null once it no longer takes any (completed, expired). */
  readonly ilp: IlpMethod | null
  /** The incoming payment's id when it is on this node: then it is paid by a ledger transfer. */
  readonly localIncomingPaymentId: string | null
}

/** Whether the receiver can take money now: active, not expired, and with a method. */
export const isPayable = (receiver: Receiver, nowMs: number): boolean =>
  !receiver.completed &&
  receiver.ilp !== null &&
  (receiver.expiresAt === null || receiver.expiresAt.getTime() > nowMs)

/**
 * What is still missing before an incoming amount is reached; null for an open-ended receiver.
 */
export const remainingToReceive = (receiver: Receiver): bigint | null =>
  receiver.incomingAmount === null
    ? null
    : receiver.incomingAmount.value > receiver.receivedAmount.value
      ? receiver.incomingAmount.value - receiver.receivedAmount.value
      : 0n
