import { createHash } from 'node:crypto'
import type { IlpFulfill, IlpPrepare } from 'ilp-packet'
import type { PeerAccount } from './accounts.ts'

/** IL-DCP (RFC 0031): a peer asks for its own address and asset. */
export const ildcpDestination = 'peer.config'

// The request's condition is SHA-256 of 32 zero bytes, so the fulfillment is those bytes.
const fulfillment = Buffer.alloc(32)
const condition = createHash('sha256').update(fulfillment).digest()

export const isIldcpRequest = (prepare: IlpPrepare): boolean =>
  prepare.destination === ildcpDestination

/**
 * The Fulfill answering IL-DCP for a known peer, or undefined when the request does not carry
 * IL-DCP's condition (the caller rejects it). Answered before routing: Rafiki routes it and
 * rejects F02.
 */
export function answerIldcp(peer: PeerAccount, prepare: IlpPrepare): IlpFulfill | undefined {
  if (!prepare.executionCondition.equals(condition)) return undefined
  return { fulfillment, data: serializeIldcpResponse(peer) }
}

/** OER: var-octet-string clientAddress, uint8 assetScale, var-octet-string assetCode. */
export function serializeIldcpResponse(peer: PeerAccount): Buffer {
  const address = Buffer.from(peer.staticIlpAddress, 'ascii')
  const code = Buffer.from(peer.asset.code, 'utf8')
  return Buffer.concat([
    varOctetString(address),
    Buffer.from([peer.asset.scale]),
    varOctetString(code),
  ])
}

function varOctetString(bytes: Buffer): Buffer {
  if (bytes.length < 128) return Buffer.concat([Buffer.from([bytes.length]), bytes])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  const significant = length.subarray(length.findIndex((byte) => byte !== 0))
  return Buffer.concat([Buffer.from([0x80 | significant.length]), significant, bytes])
}
