import type { IlpFulfill, IlpReject, IlpReply } from 'ilp-packet'
import { createReceipt } from 'ilp-protocol-stream'
import {
  decryptConnectionAddressToken,
  encryptConnectionAddressToken,
  generateFulfillment,
  generateFulfillmentKey,
  generatePskEncryptionKey,
  generateSharedSecretFromToken,
  generateTokenNonce,
  hash,
  TOKEN_NONCE_LENGTH,
} from 'ilp-protocol-stream/dist/src/crypto.js'
import {
  ConnectionAssetDetailsFrame,
  ConnectionCloseFrame,
  ConnectionMaxStreamIdFrame,
  ErrorCode,
  FrameType,
  IlpPacketType,
  Packet,
  StreamMaxMoneyFrame,
  StreamReceiptFrame,
  type Frame,
} from 'ilp-protocol-stream/dist/src/packet.js'
import type { Cache } from '../../application/ports/cache.ts'
import type {
  PaymentTag,
  ReceiptRequest,
  ReceivePacket,
  StreamCreditError,
  StreamReceiver,
} from '../../application/ports/stream-receiver.ts'
import { amountTooLargeData } from '../../application/connector/replies.ts'
import { isIlpAddress } from '../../domain/peers/ilp-address.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUInt64, uint64Max } from '../../domain/shared/uint64.ts'

export type StreamReceiverOptions = {
  /** ILP_ADDRESS: our STREAM addresses are `${ilpAddress}.${token}`. */
  readonly ilpAddress: string
  /** STREAM_SECRET, 32 bytes: encrypts the tokens and seeds every connection's shared secret. */
  readonly secret: Buffer
  /** Per-stream totals for receipts live here, shared by every replica. */
  readonly cache: Cache
  /** A stream's total is forgotten this long after its last packet (renewed by each packet). */
  readonly receiptTtlMs?: number
}

// Rafiki keeps a connection's total for 10 minutes after its last packet.
const receiptTtlMsDefault = 10 * 60_000
// A receipt carries its stream id in one byte, so streams above 255 could get none; a client
// may open ids up to this one (odd ids: 128 streams per connection).
const streamIdMax = 255
const receiptNonceBytes = 16
const receiptSecretBytes = 32
// Tag ids are written with a one-byte length; ours are UUIDs.
const tagIdCharsMax = 100
const tagIdPattern = /^[\x21-\x7e]+$/
const tagPrefixes = { 'incoming-payment': 'ip:', 'wallet-address': 'wa:' } as const
// The token is AES-256-GCM (12-byte IV, 16-byte tag) over nonce, tag, receipt nonce and secret.
const tokenBytesMin = 12 + 16 + TOKEN_NONCE_LENGTH + 3
const tokenBytesMax = tokenBytesMin + 3 + tagIdCharsMax + receiptNonceBytes + receiptSecretBytes
const base64urlPattern = /^[A-Za-z0-9_-]+$/
const closedMessage = 'payment closed'
const emptyData = Buffer.alloc(0)

type Token = {
  /** The canonical base64url text: the key of its streams' totals. */
  readonly text: string
  readonly bytes: Buffer
  readonly tag: PaymentTag
  readonly receipt: ReceiptRequest | undefined
}

type ConnectionKeys = { readonly pskKey: Buffer; readonly fulfillmentKey: Buffer }

/** What the sender's frames ask of us; stream ids are odd and at most streamIdMax. */
type Request = {
  readonly packet: Packet
  /** Money shares per stream id, in the order the streams first appear. */
  readonly shares: ReadonlyMap<number, bigint>
  readonly sharesTotal: bigint
  /** Frames every reply carries (asset details, max stream id), as the library's server does. */
  readonly controlFrames: readonly Frame[]
  /** Set when the frames break the protocol: the reply closes the connection. */
  readonly violation: ConnectionCloseFrame | undefined
}

/**
 * A stateless STREAM server that mirrors ilp-protocol-stream's own (server.js, pool.js,
 * connection.js): the same token layout, secrets, encryption and fulfillments, so the library's
 * client pays it. Nothing is kept in process; receipt totals live in the cache.
 */
export function makeStreamReceiver(options: StreamReceiverOptions): StreamReceiver {
  const { ilpAddress, secret, cache } = options
  const receiptTtlMs = options.receiptTtlMs ?? receiptTtlMsDefault
  assert(isIlpAddress(ilpAddress), 'stream receiver: ilpAddress must be an ILP address')
  assert(secret.length === 32, 'stream receiver: secret must be 32 bytes')
  assert(
    Number.isSafeInteger(receiptTtlMs) && receiptTtlMs > 0,
    'stream receiver: receiptTtlMs > 0',
  )
  const prefix = `${ilpAddress}.`

  function readToken(destination: string): Token | undefined {
    if (!destination.startsWith(prefix)) return undefined
    const end = destination.indexOf('.', prefix.length)
    const text = destination.slice(prefix.length, end === -1 ? undefined : end)
    if (text.length > base64Chars(tokenBytesMax) || !base64urlPattern.test(text)) return undefined
    const bytes = Buffer.from(text, 'base64url')
    // Only the canonical spelling counts, so one token has one key for its totals.
    if (bytes.length < tokenBytesMin || bytes.toString('base64url') !== text) return undefined
    let plain: Buffer
    try {
      plain = decryptConnectionAddressToken(secret, bytes)
    } catch {
      return undefined
    }
    const contents = decodeTokenContents(plain)
    return contents === undefined ? undefined : { text, bytes, ...contents }
  }

  return {
    credentials(tag, receipt) {
      const plain = encodeTokenContents(tag, receipt)
      const token = encryptConnectionAddressToken(secret, plain)
      return {
        ilpAddress: `${prefix}${token.toString('base64url')}`,
        sharedSecret: generateSharedSecretFromToken(secret, token),
        receiptsEnabled: receipt !== undefined,
      }
    },
    tagOf(destination) {
      return readToken(destination)?.tag
    },
    async receive(packet) {
      assert(isUInt64(packet.receivedAmount), 'stream receiver: receivedAmount must be a UInt64')
      const token = readToken(packet.prepare.destination)
      if (token === undefined) return unexpectedPayment(ilpAddress)
      const keys = await keysOf(secret, token.bytes)
      const request = await readRequest(keys.pskKey, packet)
      if (request === undefined) return unexpectedPayment(ilpAddress)
      return answer({ ilpAddress, cache, receiptTtlMs }, token, keys, request, packet)
    },
  }
}

type AnswerDeps = {
  readonly ilpAddress: string
  readonly cache: Cache
  readonly receiptTtlMs: number
}

async function answer(
  deps: AnswerDeps,
  token: Token,
  keys: ConnectionKeys,
  request: Request,
  packet: ReceivePacket,
): Promise<IlpReply> {
  const { prepare, receivedAmount } = packet
  const replyFrames = [...request.controlFrames]
  const finalReject = (extra: readonly Frame[] = []) =>
    encryptedReject(deps.ilpAddress, keys, request, receivedAmount, [...replyFrames, ...extra])
  if (request.violation !== undefined) return finalReject([request.violation])

  const fulfillment = await generateFulfillment(keys.fulfillmentKey, prepare.data)
  const conditionMatches = (await hash(fulfillment)).equals(prepare.executionCondition)
  const minimum = BigInt(request.packet.prepareAmount.toString())
  // Money that names no stream could not be accounted for in receipts: refused.
  const carriesMoney = BigInt(prepare.amount) > 0n || receivedAmount > 0n
  const unaccounted = carriesMoney && request.sharesTotal === 0n
  if (!conditionMatches || minimum > receivedAmount || unaccounted) return finalReject()

  // Money sent that rounds to nothing received is still credited (as zero): the sender's side of
  // the ledger must move, or the two connectors' books of their peering disagree.
  if (carriesMoney) {
    const credited = await creditOnce(packet.credit, receivedAmount)
    if (!credited.ok) {
      if (typeof credited.error === 'object') {
        // F08 with what would have arrived and what still fits: a STREAM sender scales its
        // packets down to fit, as it does for a connector's maximum packet amount.
        const data = amountTooLargeData(receivedAmount, credited.error.upTo)
        return plainReject(deps.ilpAddress, 'F08', 'more than the payment still accepts', data)
      }
      switch (credited.error) {
        // An error code, not NoError: on NoError the library's client ends its streams
        // gracefully, which keeps sending the money it still holds, and sendTotal hangs.
        case 'closed':
          return finalReject([new ConnectionCloseFrame(ErrorCode.ApplicationError, closedMessage)])
        case 'insufficient_liquidity':
          return plainReject(deps.ilpAddress, 'T04', 'insufficient liquidity')
        case 'internal':
          return plainReject(deps.ilpAddress, 'T00', 'internal error')
      }
    }
    if (receivedAmount > 0n) {
      replyFrames.push(...(await streamFrames(deps, token, request, receivedAmount)))
    }
  }
  const reply = new Packet(
    request.packet.sequence,
    IlpPacketType.Fulfill,
    receivedAmount.toString(),
    replyFrames,
  )
  const fulfill: IlpFulfill = { fulfillment, data: await reply.serializeAndEncrypt(keys.pskKey) }
  return fulfill
}

// credit is the application's; a throw there answers T00 rather than breaking "never throws".
async function creditOnce(
  credit: ReceivePacket['credit'],
  amount: bigint,
): Promise<Result<void, StreamCreditError>> {
  try {
    return await credit(amount)
  } catch {
    return err('internal')
  }
}

/** StreamMaxMoney per paid stream (no limit, so the sender keeps sending) and its receipt. */
async function streamFrames(
  deps: AnswerDeps,
  token: Token,
  request: Request,
  receivedAmount: bigint,
): Promise<Frame[]> {
  const amounts = splitByShares(receivedAmount, request.shares, request.sharesTotal)
  const totals = token.receipt === undefined ? undefined : await recordTotals(deps, token, amounts)
  const frames: Frame[] = []
  for (const [streamId, amount] of amounts) {
    const total = totals?.get(streamId)
    frames.push(
      new StreamMaxMoneyFrame(streamId, uint64Max.toString(), (total ?? amount).toString()),
    )
    if (token.receipt !== undefined && total !== undefined) {
      const { nonce, secret } = token.receipt
      const receipt = createReceipt({ nonce, secret, streamId, totalReceived: total.toString() })
      frames.push(new StreamReceiptFrame(streamId, receipt))
    }
  }
  return frames
}

// The money is already credited: if the cache fails, the packet is still fulfilled, without
// receipts (a receipt must never claim less than an earlier one, so none beats a guess).
async function recordTotals(
  deps: AnswerDeps,
  token: Token,
  amounts: ReadonlyMap<number, bigint>,
): Promise<ReadonlyMap<number, bigint> | undefined> {
  try {
    const entries = await Promise.all(
      [...amounts].map(async ([streamId, amount]) => {
        const key = `stream-received:${token.text}:${streamId}`
        return [streamId, await deps.cache.incrementBy(key, amount, deps.receiptTtlMs)] as const
      }),
    )
    return new Map(entries)
  } catch {
    return undefined
  }
}

/** Each stream's share, rounded down as the library does; the remainder goes to the first. */
function splitByShares(
  amount: bigint,
  shares: ReadonlyMap<number, bigint>,
  sharesTotal: bigint,
): Map<number, bigint> {
  const amounts = new Map<number, bigint>()
  let assigned = 0n
  for (const [streamId, share] of shares) {
    const part = (amount * share) / sharesTotal
    amounts.set(streamId, part)
    assigned += part
  }
  const [first] = amounts.keys()
  if (first !== undefined) amounts.set(first, (amounts.get(first) ?? 0n) + amount - assigned)
  return amounts
}

async function keysOf(secret: Buffer, token: Buffer): Promise<ConnectionKeys> {
  const sharedSecret = generateSharedSecretFromToken(secret, token)
  const [pskKey, fulfillmentKey] = await Promise.all([
    generatePskEncryptionKey(sharedSecret),
    generateFulfillmentKey(sharedSecret),
  ])
  return { pskKey, fulfillmentKey }
}

/** The sender's STREAM packet, or undefined when it does not decrypt or is not a Prepare. */
async function readRequest(pskKey: Buffer, packet: ReceivePacket): Promise<Request | undefined> {
  let decoded: Packet
  try {
    decoded = await Packet.decryptAndDeserialize(pskKey, packet.prepare.data)
  } catch {
    return undefined
  }
  if (decoded.ilpPacketType !== IlpPacketType.Prepare) return undefined
  const shares = new Map<number, bigint>()
  let sharesTotal = 0n
  let violation: ConnectionCloseFrame | undefined
  let announceStreamIdMax = false
  const controlFrames: Frame[] = []
  for (const frame of decoded.frames) {
    switch (frame.type) {
      case FrameType.ConnectionNewAddress:
        announceStreamIdMax = true
        controlFrames.push(new ConnectionAssetDetailsFrame(packet.asset.code, packet.asset.scale))
        break
      case FrameType.ConnectionStreamIdBlocked:
        announceStreamIdMax = true
        break
      case FrameType.StreamMoney:
      case FrameType.StreamMaxMoney:
      case FrameType.StreamData:
      case FrameType.StreamMaxData: {
        violation ??= streamIdViolation(BigInt(frame.streamId.toString()))
        if (violation !== undefined || frame.type !== FrameType.StreamMoney) break
        const streamId = frame.streamId.toNumber()
        const share = BigInt(frame.shares.toString())
        shares.set(streamId, (shares.get(streamId) ?? 0n) + share)
        sharesTotal += share
        break
      }
      default:
        break
    }
  }
  if (announceStreamIdMax) controlFrames.unshift(new ConnectionMaxStreamIdFrame(streamIdMax))
  return { packet: decoded, shares, sharesTotal, controlFrames, violation }
}

// Client-initiated streams have odd ids (RFC 0029); the library's server closes on the others.
function streamIdViolation(streamId: bigint): ConnectionCloseFrame | undefined {
  if (streamId % 2n === 0n) {
    return new ConnectionCloseFrame(ErrorCode.ProtocolViolation, 'stream ids must be odd')
  }
  if (streamId > BigInt(streamIdMax)) {
    return new ConnectionCloseFrame(ErrorCode.StreamIdError, `stream ids go up to ${streamIdMax}`)
  }
  return undefined
}

/** F99 carrying our encrypted STREAM reply: how senders learn the amount that arrives. */
async function encryptedReject(
  ilpAddress: string,
  keys: ConnectionKeys,
  request: Request,
  receivedAmount: bigint,
  frames: Frame[],
): Promise<IlpReject> {
  const reply = new Packet(
    request.packet.sequence,
    IlpPacketType.Reject,
    receivedAmount.toString(),
    frames,
  )
  const data = await reply.serializeAndEncrypt(keys.pskKey)
  return { code: 'F99', triggeredBy: ilpAddress, message: '', data }
}

function plainReject(
  ilpAddress: string,
  code: string,
  message: string,
  data: Buffer = emptyData,
): IlpReject {
  return { code, triggeredBy: ilpAddress, message, data }
}

function unexpectedPayment(ilpAddress: string): IlpReject {
  return plainReject(ilpAddress, 'F06', 'unexpected payment')
}

// Token contents, as the library's server writes them: an 18-byte nonce, then the connection
// tag, receipt nonce and receipt secret as OER variable-length octet strings (one-byte lengths).
function encodeTokenContents(tag: PaymentTag, receipt: ReceiptRequest | undefined): Buffer {
  assert(
    tag.id.length <= tagIdCharsMax && tagIdPattern.test(tag.id),
    'stream receiver: a tag id is 1..100 printable ASCII characters',
  )
  if (receipt !== undefined) {
    assert(receipt.nonce.length === receiptNonceBytes, 'stream receiver: receipt nonce is 16 bytes')
    assert(
      receipt.secret.length === receiptSecretBytes,
      'stream receiver: receipt secret is 32 bytes',
    )
  }
  const fields = [
    Buffer.from(`${tagPrefixes[tag.kind]}${tag.id}`, 'latin1'),
    receipt?.nonce ?? emptyData,
    receipt?.secret ?? emptyData,
  ]
  const parts = [generateTokenNonce()]
  for (const field of fields) parts.push(Buffer.of(field.length), field)
  return Buffer.concat(parts)
}

function decodeTokenContents(
  plain: Buffer,
): { readonly tag: PaymentTag; readonly receipt: ReceiptRequest | undefined } | undefined {
  const fields: Buffer[] = []
  let offset = TOKEN_NONCE_LENGTH
  for (let i = 0; i < 3; i += 1) {
    const length = plain[offset]
    if (length === undefined || length >= 0x80 || offset + 1 + length > plain.length) {
      return undefined
    }
    fields.push(plain.subarray(offset + 1, offset + 1 + length))
    offset += 1 + length
  }
  const [tagBytes, nonce, receiptSecret] = fields
  if (offset !== plain.length || !tagBytes || !nonce || !receiptSecret) return undefined
  const tag = parseTag(tagBytes.toString('latin1'))
  if (tag === undefined) return undefined
  if (nonce.length === 0 && receiptSecret.length === 0) return { tag, receipt: undefined }
  if (nonce.length !== receiptNonceBytes || receiptSecret.length !== receiptSecretBytes) {
    return undefined
  }
  return { tag, receipt: { nonce: Buffer.from(nonce), secret: Buffer.from(receiptSecret) } }
}

function parseTag(text: string): PaymentTag | undefined {
  for (const kind of ['incoming-payment', 'wallet-address'] as const) {
    const tagPrefix = tagPrefixes[kind]
    if (!text.startsWith(tagPrefix)) continue
    const id = text.slice(tagPrefix.length)
    return id.length > 0 && tagIdPattern.test(id) ? { kind, id } : undefined
  }
  return undefined
}

const base64Chars = (bytes: number): number => Math.ceil((bytes * 4) / 3)
