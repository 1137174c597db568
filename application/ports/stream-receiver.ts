import type { IlpPrepare, IlpReply } from 'ilp-packet'
import type { Result } from '../../domain/shared/result.ts'

/** What a STREAM address pays into: an incoming payment, or a wallet address (web monetization / SPSP). */
export type PaymentTag = {
  readonly kind: 'incoming-payment' | 'wallet-address'
  readonly id: string
}

export type StreamCredentials = {
  readonly ilpAddress: string
  readonly sharedSecret: Buffer
  readonly receiptsEnabled: boolean
}

/** STREAM receipts (Receipt-Nonce / Receipt-Secret of the SPSP request). */
export type ReceiptRequest = {
  readonly nonce: Buffer /* 16 bytes */
  readonly secret: Buffer /* 32 bytes */
}

/**
 * Why credit refused: the payment no longer accepts money, the ledger is short, a fault, or the
 * amount is more than the payment still takes (`upTo`, > 0, in the receiving asset).
 */
export type StreamCreditError =
  'closed' | 'insufficient_liquidity' | 'internal' | { readonly upTo: bigint }

export type ReceivePacket = {
  readonly prepare: IlpPrepare
  /** The receiving account's asset, announced in ConnectionAssetDetails frames. */
  readonly asset: { readonly code: string; readonly scale: number }
  /** The prepare's amount converted into that asset (rounded down): what would be credited. */
  readonly receivedAmount: bigint
  /**
   * Moves the money; called at most once, only for a fulfillable packet that sent or would
   * deliver money (the received amount may be 0 when the conversion rounds it away), before the
   * Fulfill is returned.
   */
  readonly credit: (amount: bigint) => Promise<Result<void, StreamCreditError>>
}

/**
 * A STREAM server that keeps no state in process: every replica derives the same secrets from
 * STREAM_SECRET and the address, so any of them can answer any packet of any connection.
 */
export interface StreamReceiver {
  /** New credentials: `${ILP_ADDRESS}.${base64url token}` whose token encrypts the tag (and receipt nonce/secret when given); the shared secret derives from STREAM_SECRET and the token. */
  credentials(tag: PaymentTag, receipt?: ReceiptRequest): StreamCredentials
  /** The tag of one of our STREAM addresses (any suffix after the token segment allowed), undefined otherwise. Must be cheap: called on every local packet. */
  tagOf(destination: string): PaymentTag | undefined
  /** Answers a Prepare addressed to one of our STREAM addresses. Never throws. */
  receive(packet: ReceivePacket): Promise<IlpReply>
}
