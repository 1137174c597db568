import type { IlpPrepare, IlpReply } from 'ilp-packet'

/** Where a sender's packets go: a Prepare in, its Fulfill or Reject out. */
export type PacketPath = (prepare: IlpPrepare) => Promise<IlpReply>

export type SentPacket =
  | { readonly kind: 'fulfilled'; readonly delivered: bigint }
  | {
      readonly kind: 'rejected'
      readonly code: string
      /** What the receiver says reached it (its STREAM reply); undefined: it did not answer. */
      readonly delivered: bigint | undefined
      /** F08: the largest amount the path takes, in source units. */
      readonly maxPacketAmount: bigint | undefined
      /** The receiver closed the connection (e.g. its incoming payment is complete). */
      readonly closed: boolean
    }

/** The sending side of one STREAM connection: one packet at a time. */
export interface StreamSender {
  /**
   * Sends `amount` asking the receiver for at least `minDelivery`; a probe carries a random
   * condition, so it can never be fulfilled and moves no money.
   */
  send(amount: bigint, minDelivery: bigint, options?: { probe?: boolean }): Promise<SentPacket>
}

export type OpenStreamSender = (options: {
  readonly destination: string
  readonly sharedSecret: Buffer
  readonly path: PacketPath
}) => Promise<StreamSender>
