// The sending side of STREAM (RFC 0029) for one connection, over any path that answers ILP
// Prepares (this node's connector pipeline, in process). It sends one packet at a time and says
// what the receiver reported: enough for quoting (unfulfillable probes) and paying (packets
// whose condition the receiver can fulfill when it got at least their minimum).
import { randomBytes } from 'node:crypto'
import { isFulfill } from 'ilp-packet'
import {
  generateFulfillment,
  generateFulfillmentKey,
  generatePskEncryptionKey,
  hash,
} from 'ilp-protocol-stream/dist/src/crypto.js'
import {
  FrameType,
  IlpPacketType,
  Packet,
  StreamMoneyFrame,
  type ConnectionCloseFrame,
} from 'ilp-protocol-stream/dist/src/packet.js'
import type { PacketPath, StreamSender } from '../../application/ports/stream-sender.ts'

export type StreamSenderOptions = {
  readonly destination: string
  readonly sharedSecret: Buffer
  readonly path: PacketPath
  /** How long each packet may take; the connector caps its holds at 30 s. */
  readonly packetExpiryMs?: number
  readonly now?: () => number
}

const packetExpiryMsDefault = 30_000
/** Money goes on stream 1 (client streams are odd). */
const streamId = 1

export async function openStreamSender(options: StreamSenderOptions): Promise<StreamSender> {
  const { destination, path } = options
  const [encryptionKey, fulfillmentKey] = await Promise.all([
    generatePskEncryptionKey(options.sharedSecret),
    generateFulfillmentKey(options.sharedSecret),
  ])
  const now = options.now ?? Date.now
  const expiryMs = options.packetExpiryMs ?? packetExpiryMsDefault
  let sequence = 0

  return {
    async send(amount, minDelivery, { probe = false } = {}) {
      sequence += 1
      const request = new Packet(sequence, IlpPacketType.Prepare, minDelivery.toString(), [
        ...(probe ? [] : [new StreamMoneyFrame(streamId, 1)]),
      ])
      const data = await request.serializeAndEncrypt(encryptionKey)
      const executionCondition = probe
        ? randomBytes(32)
        : await hash(await generateFulfillment(fulfillmentKey, data))
      const reply = await path({
        destination,
        amount: amount.toString(),
        executionCondition,
        expiresAt: new Date(now() + expiryMs),
        data,
      })
      const response = await readResponse(encryptionKey, reply.data, sequence)
      if (isFulfill(reply)) return { kind: 'fulfilled', delivered: response?.delivered ?? 0n }
      return {
        kind: 'rejected',
        code: reply.code,
        delivered: response?.delivered,
        maxPacketAmount: reply.code === 'F08' ? maxPacketAmountOf(reply.data, amount) : undefined,
        closed: response?.closed ?? false,
      }
    },
  }
}

async function readResponse(key: Buffer, data: Buffer, sequence: number) {
  if (data.length === 0) return undefined
  try {
    const packet = await Packet.decryptAndDeserialize(key, data)
    if (!packet.sequence.equals(sequence)) return undefined
    const closed = packet.frames.some(
      (frame): frame is ConnectionCloseFrame => frame.type === FrameType.ConnectionClose,
    )
    return { delivered: BigInt(packet.prepareAmount.toString()), closed }
  } catch {
    // Not a STREAM reply of this connection (e.g. a connector's own reject data).
    return undefined
  }
}

/**
 * F08 data: the amount that arrived at the connector refusing it and its maximum, both in its
 * units; scaled back to ours (rounding down), as ilp-protocol-stream does.
 */
function maxPacketAmountOf(data: Buffer, sent: bigint): bigint | undefined {
  if (data.length < 16) return undefined
  const received = data.readBigUInt64BE(0)
  const maximum = data.readBigUInt64BE(8)
  if (received === 0n) return undefined
  return (sent * maximum) / received
}
