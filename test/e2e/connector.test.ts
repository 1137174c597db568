import { createHash, randomBytes } from 'node:crypto'
import { isFulfill, type IlpReply } from 'ilp-packet'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import {
  condition,
  createPeer,
  peerLiquidity,
  prepareBytes,
  sendIlp,
  startSinkPeer,
  type SinkPeer,
} from '../support/ilp-e2e.ts'
import { createAsset } from '../support/open-payments-e2e.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'

const code = (reply: IlpReply | undefined) =>
  reply === undefined ? 'none' : isFulfill(reply) ? 'fulfill' : reply.code

describe.each(testNodeTargets('connector e2e'))('ILP connector over HTTP ($name)', ({ env }) => {
  let node: Node & { adminUrl: string }
  let sink: SinkPeer
  let connectorUrl: string
  let aliceId: string
  let sinkId: string
  const aliceToken = `alice-${crypto.randomUUID()}`
  const aliceDeposit = 1_000_000n

  beforeAll(async () => {
    sink = await startSinkPeer()
    node = await bootTestNode({ ...env, ILP_ADDRESS: 'test.node' })
    connectorUrl = `http://127.0.0.1:${node.ports.connector}/`
    const assetId = await createAsset(
      node.adminUrl,
      `C${crypto.randomUUID().slice(0, 5)}`.toUpperCase(),
    )
    aliceId = await createPeer(node.adminUrl, {
      assetId,
      staticIlpAddress: 'test.alice',
      incomingToken: aliceToken,
      outgoing: { endpoint: 'http://127.0.0.1:9/unused', authToken: 'to-alice' },
      maxPacketAmount: '1000',
      initialLiquidity: aliceDeposit.toString(),
    })
    sinkId = await createPeer(node.adminUrl, {
      assetId,
      staticIlpAddress: 'test.sink',
      incomingToken: `sink-in-${crypto.randomUUID()}`,
      outgoing: { endpoint: sink.url, authToken: sink.token },
    })
  })
  afterAll(async () => {
    await node?.stop()
    await sink?.close()
  })

  it('forwards a packet to the peer of the longest prefix and moves the liquidity', async () => {
    const before = await peerLiquidity(node.adminUrl, aliceId)
    const { status, reply } = await sendIlp(
      connectorUrl,
      aliceToken,
      prepareBytes({ destination: 'test.sink.bob', amount: '250' }),
    )
    expect(status).toBe(200)
    expect(code(reply)).toBe('fulfill')
    expect(sink.received.at(-1)?.destination).toBe('test.sink.bob')
    // Liquidity reserved for the next packets is released a few milliseconds after the last.
    await vi.waitFor(async () => {
      expect(await peerLiquidity(node.adminUrl, aliceId)).toBe(before - 250n)
      expect(await peerLiquidity(node.adminUrl, sinkId)).toBe(250n)
    })
  })

  it('answers IL-DCP with the peer address and asset', async () => {
    const zero = Buffer.alloc(32)
    const { reply } = await sendIlp(
      connectorUrl,
      aliceToken,
      prepareBytes({
        destination: 'peer.config',
        amount: '0',
        executionCondition: createHash('sha256').update(zero).digest(),
      }),
    )
    expect(code(reply)).toBe('fulfill')
    const data = reply && isFulfill(reply) ? reply.data : Buffer.alloc(0)
    expect(data.subarray(1, 1 + (data[0] ?? 0)).toString()).toBe('test.alice')
  })

  it('refuses unknown tokens and bodies that are no Prepare, and rejects what it cannot route', async () => {
    const valid = prepareBytes({ destination: 'test.sink.x' })
    expect((await sendIlp(connectorUrl, 'wrong-token', valid)).status).toBe(401)
    expect((await sendIlp(connectorUrl, aliceToken, randomBytes(40))).status).toBe(400)
    const unknown = await sendIlp(
      connectorUrl,
      aliceToken,
      prepareBytes({ destination: 'test.nobody' }),
    )
    expect(code(unknown.reply)).toBe('F02')
    const big = await sendIlp(
      connectorUrl,
      aliceToken,
      prepareBytes({ destination: 'test.sink', amount: '1001' }),
    )
    expect(code(big.reply)).toBe('F08')
    const expired = await sendIlp(
      connectorUrl,
      aliceToken,
      prepareBytes({ destination: 'test.sink', expiresAt: new Date(Date.now() - 1) }),
    )
    expect(code(expired.reply)).toBe('R00')
  })

  it('survives 10,000 random and mutated packets with every ledger balanced', async () => {
    const aliceBefore = await peerLiquidity(node.adminUrl, aliceId)
    const sinkBefore = await peerLiquidity(node.adminUrl, sinkId)
    const fulfilledBefore = sink.received.filter((p) => p.executionCondition.equals(condition))
    const receivedBefore = fulfilledBefore.reduce((sum, p) => sum + BigInt(p.amount), 0n)
    const statuses = new Map<string, number>()
    let next = 0
    const worker = async () => {
      while (next < 10_000) {
        next += 1
        const { status, reply } = await sendIlp(connectorUrl, aliceToken, fuzzPacket())
        const key = status === 200 ? code(reply) : `http ${status}`
        statuses.set(key, (statuses.get(key) ?? 0) + 1)
        if (status !== 200) expect(status).toBeGreaterThanOrEqual(400)
        if (status !== 200) expect(status).toBeLessThan(500)
      }
    }
    await Promise.all(Array.from({ length: 16 }, worker))
    const total = [...statuses.values()].reduce((a, b) => a + b, 0)
    expect(total).toBe(10_000)
    expect(statuses.get('fulfill') ?? 0).toBeGreaterThan(100)
    expect(statuses.get('http 400') ?? 0).toBeGreaterThan(100)
    expect(statuses.get('T00') ?? 0).toBe(0)
    // Holds of rejected packets are voided in the background.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const fulfilled = sink.received.filter((p) => p.executionCondition.equals(condition))
    const received = fulfilled.reduce((sum, p) => sum + BigInt(p.amount), 0n) - receivedBefore
    const aliceAfter = await peerLiquidity(node.adminUrl, aliceId)
    const sinkAfter = await peerLiquidity(node.adminUrl, sinkId)
    expect(sinkAfter - sinkBefore).toBe(received)
    expect(aliceBefore - aliceAfter).toBe(received)
    // The node is still answering.
    const { reply } = await sendIlp(
      connectorUrl,
      aliceToken,
      prepareBytes({ destination: 'test.sink.z' }),
    )
    expect(code(reply)).toBe('fulfill')
  }, 120_000)
})

const destinations = [
  'test.sink.a',
  'test.sink',
  'test.nobody',
  'test.node.x',
  'peer.config',
  'test.alice.y',
  'g',
  '',
]

/** A Prepare that may be valid, odd, or broken in one of many ways. */
function fuzzPacket(): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T
  const now = Date.now()
  const base = prepareBytes({
    destination: pick(destinations),
    amount: pick([
      '0',
      '1',
      '10',
      '999',
      '1000',
      '1001',
      '18446744073709551615',
      String(Math.floor(Math.random() * 2000)),
    ]),
    expiresAt: new Date(now + pick([-1000, 0, 500, 1500, 5000, 30_000, 86_400_000])),
    executionCondition: Math.random() < 0.7 ? condition : randomBytes(32),
    data: randomBytes(Math.floor(Math.random() * 64)),
  })
  switch (Math.floor(Math.random() * 6)) {
    case 0:
      return base
    case 1:
      return base.subarray(0, Math.floor(Math.random() * base.length))
    case 2: {
      const copy = Buffer.from(base)
      for (let i = 0; i < 3; i += 1)
        copy[Math.floor(Math.random() * copy.length)] = Math.floor(Math.random() * 256)
      return copy
    }
    case 3:
      return Buffer.concat([base, randomBytes(1 + Math.floor(Math.random() * 40))])
    case 4: {
      const copy = Buffer.from(base)
      copy[0] = pick([13, 14, 0, 255])
      return copy
    }
    default:
      return randomBytes(Math.floor(Math.random() * 120))
  }
}
