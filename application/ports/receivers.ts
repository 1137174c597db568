import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'

export type ReceiverError =
  /** Not an incoming payment URL, or none there (ours or the other node's 404). */
  | 'unknown_receiver'
  /** The other node or its authorization server refused or failed (after a grant retry). */
  | 'receiver_unreachable'
  /** createReceiver: the wallet address is unknown, here or there. */
  | 'unknown_wallet_address'
  | 'invalid_amount'
  | 'invalid_expiry'

export type CreateReceiverInput = {
  readonly walletAddressUrl: string
  readonly incomingAmount?: Amount
  readonly expiresAt?: Date
  readonly metadata?: JsonObject
}

/**
 * Receivers, wherever they are: incoming payments of this node are read from its own storage;
 * others through the Open Payments API of the node that holds them, under grants this node
 * obtains from that node's authorization server.
 */
export interface Receivers {
  get(url: string): Promise<Result<Receiver, ReceiverError>>
  /** Creates an incoming payment at the wallet address (ours or another node's). */
  create(input: CreateReceiverInput): Promise<Result<Receiver, ReceiverError>>
}
