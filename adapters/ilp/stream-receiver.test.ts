import { randomBytes } from 'node:crypto'
import {
  deserializeIlpPrepare,
  isFulfill,
  serializeIlpFulfill,
  serializeIlpReject,
  type IlpPrepare,
  type IlpReply,
} from 'ilp-packet'
import { createConnection, verifyReceipt, type Connection } from 'ilp-protocol-stream'
import {
  generateFulfillment,
  generateFulfillmentKey,
  generatePskEncryptionKey,
  hash,
} from 'ilp-protocol-stream/dist/src/crypto.js'
import {
  ConnectionNewAddressFrame,
  ErrorCode,
  FrameType,
  IlpPacketType,
  Packet,
  StreamMoneyFrame,
  type Frame,
} from 'ilp-protocol-stream/dist/src/packet.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Cache } from '../../application/ports/cache.ts'
import type {
  StreamCreditError,
  StreamCredentials,
  StreamReceiver,
} from '../../application/ports/stream-receiver.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { makeFakeClock } from '../memory/fake-clock.ts'
import { makeMemoryCache } from '../memory/memory-cache.ts'
import { makeRedisCache } from '../redis/redis-cache.ts'
import { closeRedis, openRedis, type Redis } from '../redis/redis-client.ts'
import { makeStreamReceiver } from './stream-receiver.ts'

const ilpAddress = 'test.receiver'
const senderAddress = 'test.sender'
const usd = { code: 'USD', scale: 2 } as const
const eur = { code: 'EUR', scale: 2 } as const
const paymentTag = { kind: 'incoming-payment', id: '0e0b6a1c-3f36-4f52-9c7a-3b0b0c6f5e21' } as const
const walletTag = { kind: 'wallet-address', id: 'b2a6f3f4-7d7e-4a43-8f3e-1c2d3e4f5a6b' } as const
const sendTimeoutMs = 5_000

// An empty value counts as unset, as in `TEST_REDIS_URL= npm test`.
const redisUrl = process.env['TEST_REDIS_URL'] || undefined
const runPrefix = `test:stream-receiver:${crypto.randomUUID()}:`

/** Two caches over one store: what two replicas of the node see. */
type CacheSubject = {
  readonly caches: readonly [Cache, Cache]
  close(): Promise<void>
}

type CreditOutcome = Result<void, StreamCreditError>

/** What the node's pipeline does around receive: convert the amount, credit, serialize. */
type Harness = {
  readonly receivers: readonly StreamReceiver[]
  readonly credits: bigint[]
  /** Credit calls, refused ones included. */
  creditCalls: number
  readonly replies: IlpReply[]
  /** Decides each credit; ok by default. */
  creditOutcome: (creditsSoFar: readonly bigint[]) => CreditOutcome
  /** The prepare amount -> the receiver's asset; 1:1 by default. */
  convert: (amount: bigint) => bigint
  asset: { readonly code: string; readonly scale: number }
}

const subjects: [string, () => Promise<CacheSubject>][] = [
  [
    'memory cache',
    async () => {
      const cache = makeMemoryCache(makeFakeClock())
      return { caches: [cache, cache], close: async () => {} }
    },
  ],
]
if (redisUrl !== undefined) subjects.push(['redis cache', () => makeRedisSubject(redisUrl)])
else
  describe.skip('stream receiver on redis: set TEST_REDIS_URL to run against real Redis', () => {})

describe.each(subjects)('stream receiver (%s)', (_name, makeSubject) => {
  let subject: CacheSubject
  let secret: Buffer
  let harness: Harness
  const connections: Connection[] = []

  beforeEach(async () => {
    subject = await makeSubject()
    secret = randomBytes(32)
    harness = {
      // Two replicas with the same STREAM_SECRET and a shared cache take turns.
      receivers: subject.caches.map((cache) => makeStreamReceiver({ ilpAddress, secret, cache })),
      credits: [],
      creditCalls: 0,
      replies: [],
      creditOutcome: () => ok(undefined),
      convert: (amount) => amount,
      asset: usd,
    }
  })
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.destroy()))
    await subject.close()
  })

  async function connect(
    credentials: StreamCredentials,
    options: { maximumPacketAmount?: string; exchangeRate?: number } = {},
  ): Promise<Connection> {
    const connection = await createConnection({
      plugin: makePlugin(harness),
      destinationAccount: credentials.ilpAddress,
      sharedSecret: credentials.sharedSecret,
      ...options,
    })
    connection.on('error', () => {})
    connections.push(connection)
    return connection
  }

  const receiver = () => harness.receivers[0]!
  const sum = (amounts: readonly bigint[]) => amounts.reduce((a, b) => a + b, 0n)

  it('receives a payment of 1000 exactly, over packets answered by either replica', async () => {
    const credentials = receiver().credentials(paymentTag)
    expect(credentials.receiptsEnabled).toBe(false)
    const connection = await connect(credentials, { maximumPacketAmount: '100' })
    expect(connection.destinationAssetCode).toBe('USD')
    expect(connection.destinationAssetScale).toBe(2)
    const stream = connection.createStream()
    await stream.sendTotal(1000, { timeout: sendTimeoutMs })
    expect(sum(harness.credits)).toBe(1000n)
    expect(harness.credits.length).toBeGreaterThanOrEqual(10)
    expect(connection.totalDelivered).toBe('1000')
    expect(stream.receipt).toBeUndefined()
    await connection.end()
  })

  it('gives receipts whose totals grow to what was received, across replicas', async () => {
    const receipt = { nonce: randomBytes(16), secret: randomBytes(32) }
    const credentials = receiver().credentials(walletTag, receipt)
    expect(credentials.receiptsEnabled).toBe(true)
    const connection = await connect(credentials, { maximumPacketAmount: '100' })
    const stream = connection.createStream()
    await stream.sendTotal(1000, { timeout: sendTimeoutMs })
    expect(sum(harness.credits)).toBe(1000n)

    const latest = verifyReceipt(stream.receipt!, receipt.secret)
    expect(latest.totalReceived.toString()).toBe('1000')
    expect(latest.streamId.toString()).toBe('1')
    expect(latest.nonce.equals(receipt.nonce)).toBe(true)
    // Every Fulfill carried a receipt, each claiming the running total.
    const totals = await receiptTotals(credentials.sharedSecret, harness.replies, receipt.secret)
    let running = 0n
    expect(totals).toEqual(harness.credits.map((amount) => (running += amount)))
    expect(() => verifyReceipt(stream.receipt!, randomBytes(32))).toThrow(/hmac/)
  })

  it('continues the stream totals of a connection on a new client connection', async () => {
    const receipt = { nonce: randomBytes(16), secret: randomBytes(32) }
    const credentials = receiver().credentials(walletTag, receipt)
    const first = await connect(credentials)
    await first.createStream().sendTotal(300, { timeout: sendTimeoutMs })
    await first.end()
    // The same address again (web monetization reconnects): its stream 1 keeps counting.
    const second = await connect(credentials)
    const stream = second.createStream()
    await stream.sendTotal(200, { timeout: sendTimeoutMs })
    expect(verifyReceipt(stream.receipt!, receipt.secret).totalReceived.toString()).toBe('500')
  })

  it('converts: the sender learns the rate and delivers what the receiver credits', async () => {
    harness.convert = (amount) => amount / 2n
    harness.asset = eur
    const connection = await connect(receiver().credentials(paymentTag), {
      maximumPacketAmount: '300',
    })
    expect(connection.destinationAssetCode).toBe('EUR')
    expect(Number(connection.minimumAcceptableExchangeRate)).toBeCloseTo(0.495, 6)
    await connection.createStream().sendTotal(2000, { timeout: sendTimeoutMs })
    expect(connection.totalSent).toBe('2000')
    expect(sum(harness.credits).toString()).toBe(connection.totalDelivered)
    expect(sum(harness.credits)).toBe(1000n)
  })

  it('fulfills a sender with a minimum exchange rate that the path meets', async () => {
    harness.convert = (amount) => amount / 2n
    const connection = await connect(receiver().credentials(paymentTag), { exchangeRate: 0.5 })
    await connection.createStream().sendTotal(1000, { timeout: sendTimeoutMs })
    expect(sum(harness.credits)).toBe(500n)
  })

  it('never fulfills below the minimum a sender asks for', async () => {
    harness.convert = (amount) => amount / 2n
    const connection = await connect(receiver().credentials(paymentTag), { exchangeRate: 1 })
    const sending = connection.createStream().sendTotal(1000, { timeout: 500 })
    await expect(sending).rejects.toThrow(/Timed out/)
    expect(harness.credits).toEqual([])
    expect(harness.replies.every((reply) => !isFulfill(reply))).toBe(true)
  })

  it('stops the sender when credit answers closed', async () => {
    harness.creditOutcome = (so) => (sum(so) >= 300n ? err('closed') : ok(undefined))
    const connection = await connect(receiver().credentials(paymentTag), {
      maximumPacketAmount: '100',
    })
    const sending = connection.createStream().sendTotal(1000, { timeout: sendTimeoutMs })
    await expect(sending).rejects.toThrow(/closed before the desired amount was sent/)
    expect(sum(harness.credits)).toBe(300n)
    expect(connection.totalDelivered).toBe('300')
    // The first refusal stops it: no retries.
    expect(harness.creditCalls).toBe(harness.credits.length + 1)
  })

  describe('tagOf', () => {
    it('round-trips both kinds of tag, with any suffix after the token', () => {
      for (const tag of [paymentTag, walletTag]) {
        const { ilpAddress: address } = receiver().credentials(tag)
        expect(address).toMatch(/^test\.receiver\.[A-Za-z0-9_-]+$/)
        expect(receiver().tagOf(address)).toEqual(tag)
        expect(harness.receivers[1]!.tagOf(`${address}.extra.segments`)).toEqual(tag)
      }
      const withReceipts = receiver().credentials(walletTag, {
        nonce: randomBytes(16),
        secret: randomBytes(32),
      })
      expect(receiver().tagOf(withReceipts.ilpAddress)).toEqual(walletTag)
    })

    it('gives fresh addresses and secrets each time', () => {
      const a = receiver().credentials(paymentTag)
      const b = receiver().credentials(paymentTag)
      expect(a.ilpAddress).not.toBe(b.ilpAddress)
      expect(a.sharedSecret.equals(b.sharedSecret)).toBe(false)
    })

    it('refuses foreign, garbled and malformed addresses', () => {
      const { ilpAddress: address } = receiver().credentials(paymentTag)
      const token = address.slice(ilpAddress.length + 1)
      const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`
      const otherNode = makeStreamReceiver({
        ilpAddress,
        secret: randomBytes(32),
        cache: subject.caches[0],
      })
      const refused = [
        ilpAddress,
        `${ilpAddress}.`,
        `test.other.${token}`,
        `test.receiverx.${token}`,
        `${ilpAddress}.${flipped}`,
        `${ilpAddress}.${token.slice(0, -4)}`,
        `${ilpAddress}.${token}${token}`,
        `${ilpAddress}.${token.replace(/[-_]/g, '+')}`,
        `${ilpAddress}.${'A'.repeat(80)}`,
        `${ilpAddress}.${'A'.repeat(5000)}`,
        otherNode.credentials(paymentTag).ilpAddress,
        `${ilpAddress}.x.${token}`,
      ]
      for (const destination of refused) expect(receiver().tagOf(destination)).toBeUndefined()
    })

    it('asserts on a tag id or receipt it cannot encode', () => {
      expect(() => receiver().credentials({ kind: 'wallet-address', id: '' })).toThrow(/tag id/)
      expect(() => receiver().credentials({ kind: 'wallet-address', id: 'a b' })).toThrow(/tag id/)
      const longId = { kind: 'wallet-address', id: 'x'.repeat(101) } as const
      expect(() => receiver().credentials(longId)).toThrow(/tag id/)
      const shortNonce = { nonce: randomBytes(15), secret: randomBytes(32) }
      expect(() => receiver().credentials(walletTag, shortNonce)).toThrow(/nonce/)
    })
  })

  describe('receive, packet by packet', () => {
    let credentials: StreamCredentials
    beforeEach(() => {
      credentials = receiver().credentials(paymentTag, {
        nonce: randomBytes(16),
        secret: randomBytes(32),
      })
    })

    const receive = (prepare: IlpPrepare, receivedAmount = BigInt(prepare.amount)) =>
      receiver().receive({
        prepare,
        asset: usd,
        receivedAmount,
        credit: async (amount) => {
          harness.credits.push(amount)
          return harness.creditOutcome(harness.credits)
        },
      })

    async function prepareOf(
      frames: Frame[],
      amount: bigint,
      { prepareAmount = 0n, fulfillable = true, destination = credentials.ilpAddress } = {},
    ): Promise<IlpPrepare> {
      const pskKey = await generatePskEncryptionKey(credentials.sharedSecret)
      const packet = new Packet(7, IlpPacketType.Prepare, prepareAmount.toString(), frames)
      const data = await packet.serializeAndEncrypt(pskKey)
      const fulfillmentKey = await generateFulfillmentKey(credentials.sharedSecret)
      const condition = await hash(await generateFulfillment(fulfillmentKey, data))
      return {
        destination,
        amount: amount.toString(),
        data,
        executionCondition: fulfillable ? condition : randomBytes(32),
        expiresAt: new Date(Date.now() + 30_000),
      }
    }

    async function replyPacket(reply: IlpReply): Promise<Packet> {
      const pskKey = await generatePskEncryptionKey(credentials.sharedSecret)
      return Packet.decryptAndDeserialize(pskKey, reply.data)
    }

    it('answers garbage with F06 and no data, never an exception', async () => {
      const valid = await prepareOf([new StreamMoneyFrame(1, 1)], 10n)
      const pskKey = await generatePskEncryptionKey(credentials.sharedSecret)
      const wrongType = await prepareOf([], 0n)
      const asFulfill = new Packet(7, IlpPacketType.Fulfill, 0, [])
      const garbage: IlpPrepare[] = [
        { ...valid, data: Buffer.alloc(0) },
        { ...valid, data: randomBytes(1) },
        { ...valid, data: randomBytes(500) },
        { ...valid, data: Buffer.concat([valid.data.subarray(0, 40), randomBytes(4)]) },
        { ...valid, data: randomBytes(29) },
        { ...wrongType, data: await asFulfill.serializeAndEncrypt(pskKey) },
        { ...valid, destination: 'test.elsewhere.abc' },
        { ...valid, destination: `${ilpAddress}.${'A'.repeat(90)}` },
      ]
      for (const prepare of garbage) {
        const reply = await receive(prepare)
        expect(reply).toMatchObject({ code: 'F06', triggeredBy: ilpAddress })
        expect(reply.data.length).toBe(0)
      }
      expect(harness.credits).toEqual([])
    })

    it('rejects a probe with F99 carrying the received amount and our asset', async () => {
      const frames = [new ConnectionNewAddressFrame(senderAddress)]
      const reply = await receive(await prepareOf(frames, 1000n, { fulfillable: false }), 1234n)
      expect(reply).toMatchObject({ code: 'F99', triggeredBy: ilpAddress })
      const packet = await replyPacket(reply)
      expect(packet.ilpPacketType).toBe(IlpPacketType.Reject)
      expect(packet.sequence.toString()).toBe('7')
      expect(packet.prepareAmount.toString()).toBe('1234')
      const types = packet.frames.map((frame) => frame.type)
      expect(types).toEqual([FrameType.ConnectionMaxStreamId, FrameType.ConnectionAssetDetails])
      expect(packet.frames[1]).toMatchObject({ sourceAssetCode: 'USD', sourceAssetScale: 2 })
      expect(harness.credits).toEqual([])
    })

    it('rejects with F99 below the minimum, or money that names no stream', async () => {
      const underpaid = await prepareOf([new StreamMoneyFrame(1, 1)], 100n, { prepareAmount: 51n })
      const reply = await receive(underpaid, 50n)
      expect(reply).toMatchObject({ code: 'F99' })
      expect((await replyPacket(reply)).prepareAmount.toString()).toBe('50')
      expect(await receive(await prepareOf([], 100n))).toMatchObject({ code: 'F99' })
      const noShares = await prepareOf([new StreamMoneyFrame(1, 0)], 100n)
      expect(await receive(noShares)).toMatchObject({ code: 'F99' })
      expect(harness.credits).toEqual([])
    })

    it('closes the connection on a stream id the sender may not use', async () => {
      for (const [streamId, code] of [
        [2, ErrorCode.ProtocolViolation],
        [257, ErrorCode.StreamIdError],
      ] as const) {
        const reply = await receive(await prepareOf([new StreamMoneyFrame(streamId, 1)], 10n))
        expect(reply).toMatchObject({ code: 'F99' })
        const close = (await replyPacket(reply)).frames[0]
        expect(close).toMatchObject({ type: FrameType.ConnectionClose, errorCode: code })
      }
      expect(harness.credits).toEqual([])
    })

    it('fulfills a zero-amount packet without crediting', async () => {
      const reply = await receive(await prepareOf([new StreamMoneyFrame(1, 1)], 0n))
      expect(isFulfill(reply)).toBe(true)
      expect(harness.credits).toEqual([])
    })

    it('credits once and splits the amount between streams by their shares', async () => {
      const frames = [new StreamMoneyFrame(1, 1), new StreamMoneyFrame(3, 2)]
      const reply = await receive(await prepareOf(frames, 100n))
      expect(isFulfill(reply)).toBe(true)
      expect(harness.credits).toEqual([100n])
      const packet = await replyPacket(reply)
      expect(packet.ilpPacketType).toBe(IlpPacketType.Fulfill)
      expect(packet.prepareAmount.toString()).toBe('100')
      const maxMoney = packet.frames.filter((frame) => frame.type === FrameType.StreamMaxMoney)
      expect(
        maxMoney.map((frame) => [frame.streamId.toNumber(), `${frame.totalReceived}`]),
      ).toEqual([
        [1, '34'],
        [3, '66'],
      ])
      expect(packet.frames.filter((frame) => frame.type === FrameType.StreamReceipt)).toHaveLength(
        2,
      )
    })

    it('maps credit failures to T04 and T00, and a throwing credit to T00', async () => {
      const prepare = await prepareOf([new StreamMoneyFrame(1, 1)], 10n)
      harness.creditOutcome = () => err('insufficient_liquidity')
      expect(await receive(prepare)).toMatchObject({ code: 'T04', data: Buffer.alloc(0) })
      harness.creditOutcome = () => err('internal')
      expect(await receive(prepare)).toMatchObject({ code: 'T00' })
      harness.creditOutcome = () => {
        throw new Error('database down')
      }
      expect(await receive(prepare)).toMatchObject({ code: 'T00', message: 'internal error' })
    })

    it('answers more than the payment takes with F08: what would arrive, and what fits', async () => {
      const prepare = await prepareOf([new StreamMoneyFrame(1, 1)], 10n)
      harness.creditOutcome = () => err({ upTo: 4n })
      const reply = await receive(prepare, 8n)
      expect(reply).toMatchObject({ code: 'F08', triggeredBy: expect.any(String) })
      const data = (reply as { data: Buffer }).data
      expect([data.readBigUInt64BE(0), data.readBigUInt64BE(8)]).toEqual([8n, 4n])
    })

    it('answers closed with F99 carrying ConnectionClose', async () => {
      harness.creditOutcome = () => err('closed')
      const reply = await receive(await prepareOf([new StreamMoneyFrame(1, 1)], 10n))
      expect(reply).toMatchObject({ code: 'F99' })
      const frames = (await replyPacket(reply)).frames
      expect(frames).toEqual([expect.objectContaining({ type: FrameType.ConnectionClose })])
    })

    it('still fulfills, without a receipt, when the cache fails', async () => {
      const failing: Cache = {
        ...subject.caches[0],
        incrementBy: async () => {
          throw new Error('cache down')
        },
      }
      const lonely = makeStreamReceiver({ ilpAddress, secret, cache: failing })
      const reply = await lonely.receive({
        prepare: await prepareOf([new StreamMoneyFrame(1, 1)], 10n),
        asset: usd,
        receivedAmount: 10n,
        credit: async () => ok(undefined),
      })
      expect(isFulfill(reply)).toBe(true)
      const types = (await replyPacket(reply)).frames.map((frame) => frame.type)
      expect(types).toEqual([FrameType.StreamMaxMoney])
    })
  })
})

/** A plugin whose "network" is our receivers, taking turns, behind a 1-hop connector. */
function makePlugin(harness: Harness) {
  let turn = 0
  return {
    connect: async () => {},
    disconnect: async () => {},
    isConnected: () => true,
    registerDataHandler: () => {},
    deregisterDataHandler: () => {},
    async sendData(data: Buffer): Promise<Buffer> {
      const prepare = deserializeIlpPrepare(data)
      if (prepare.destination === 'peer.config') return ildcpFulfill()
      const receiver = harness.receivers[turn++ % harness.receivers.length]!
      const reply = await receiver.receive({
        prepare,
        asset: harness.asset,
        receivedAmount: harness.convert(BigInt(prepare.amount)),
        credit: async (amount) => {
          harness.creditCalls += 1
          const outcome = harness.creditOutcome(harness.credits)
          if (outcome.ok) harness.credits.push(amount)
          return outcome
        },
      })
      harness.replies.push(reply)
      return isFulfill(reply) ? serializeIlpFulfill(reply) : serializeIlpReject(reply)
    },
  }
}

// IL-DCP (RFC 0031): var-octet-string address, uint8 scale, var-octet-string code.
function ildcpFulfill(): Buffer {
  const address = Buffer.from(senderAddress, 'ascii')
  const code = Buffer.from(usd.code, 'ascii')
  const data = Buffer.concat([
    Buffer.of(address.length),
    address,
    Buffer.of(usd.scale),
    Buffer.of(code.length),
    code,
  ])
  return serializeIlpFulfill({ fulfillment: Buffer.alloc(32), data })
}

async function receiptTotals(
  sharedSecret: Buffer,
  replies: readonly IlpReply[],
  receiptSecret: Buffer,
): Promise<bigint[]> {
  const pskKey = await generatePskEncryptionKey(sharedSecret)
  const totals: bigint[] = []
  for (const reply of replies) {
    if (!isFulfill(reply)) continue
    const packet = await Packet.decryptAndDeserialize(pskKey, reply.data)
    for (const frame of packet.frames) {
      if (frame.type !== FrameType.StreamReceipt) continue
      totals.push(BigInt(verifyReceipt(frame.receipt, receiptSecret).totalReceived.toString()))
    }
  }
  return totals
}

async function makeRedisSubject(url: string): Promise<CacheSubject> {
  const keyPrefix = `${runPrefix}${crypto.randomUUID()}:`
  const clients = await Promise.all([1, 2].map(() => openRedis({ url, connectTimeoutMs: 5_000 })))
  const [a, b] = clients as [Redis, Redis]
  return {
    caches: [makeRedisCache(a, { keyPrefix }), makeRedisCache(b, { keyPrefix })],
    close: async () => {
      await deleteKeysWithPrefix(a, keyPrefix)
      await Promise.all(clients.map((client) => closeRedis(client)))
    },
  }
}

async function deleteKeysWithPrefix(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000)
    if (keys.length > 0) await redis.unlink(...keys)
    cursor = next
  } while (cursor !== '0')
}
