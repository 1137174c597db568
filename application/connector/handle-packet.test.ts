import { createHash, randomBytes } from 'node:crypto'
import {
  deserializeIlpPrepare,
  serializeIlpFulfill,
  serializeIlpReject,
  type IlpPrepare,
  type IlpReject,
  type IlpReply,
} from 'ilp-packet'
import { beforeEach, describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeLiquidityReservations } from './liquidity-reservations.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { makeRoutingTable } from '../../domain/ilp/routing-table.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { IlpPeerClient, PeerSendError } from '../ports/ilp-peer-client.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { Logger } from '../ports/logger.ts'
import type { ConnectorAsset, PeerAccount } from './accounts.ts'
import { makeHandlePacket, type ConvertAmount } from './handle-packet.ts'
import { makeTokenBucketLimiter } from './rate-limiter.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const usd: ConnectorAsset = { id: randomIds.uuid(), code: 'USD', scale: 2, ledger: 1 }
const eur: ConnectorAsset = { id: randomIds.uuid(), code: 'EUR', scale: 2, ledger: 2 }

const peer = (
  name: string,
  asset: ConnectorAsset,
  extra: Partial<PeerAccount> = {},
): PeerAccount => ({
  kind: 'peer',
  id: randomIds.uuid(),
  asset,
  staticIlpAddress: `test.${name}`,
  maxPacketAmount: null,
  liquidityThreshold: null,
  outgoing: { endpoint: `http://${name}.example/ilp`, authToken: `${name}-token` },
  ...extra,
})

type Downstream = (prepare: IlpPrepare) => Result<Buffer, PeerSendError>

function setup() {
  const clock = makeFakeClock()
  const ledger = makeMemoryLedger(clock)
  const alice = peer('alice', usd, { maxPacketAmount: 1000n })
  const bob = peer('bob', usd)
  const bobEu = peer('bob.eu', eur)
  const table = makeRoutingTable(
    [alice, bob, bobEu].map((p) => ({ prefix: p.staticIlpAddress, target: p })),
  )
  const sent: { endpoint: string; prepare: IlpPrepare }[] = []
  let downstream: Downstream = () => err('unreachable')
  const client: IlpPeerClient = {
    async send(endpoint, bytes) {
      const prepare = deserializeIlpPrepare(Buffer.from(bytes))
      sent.push({ endpoint: endpoint.endpoint, prepare })
      return downstream(prepare)
    },
  }
  const convert: ConvertAmount = async (amount, from, to) => {
    if (from.code === to.code) return ok(amount)
    if (from.code === 'USD' && to.code === 'EUR') return ok((amount * 91n) / 100n)
    return err('no_rate')
  }
  const debited: string[] = []
  const handle = makeHandlePacket({
    afterPeerDebit: (account) => debited.push(account.id),
    ilpAddress: 'test.node',
    peers: {
      byIncomingToken: async () => undefined,
      route: async (destination) => table.lookup(destination),
    },
    client,
    reservations: makeLiquidityReservations({
      ledger,
      ids: randomIds,
      clock,
      logger: silent,
      holdWindowMsMax: 30_000,
      lingerMs: 0,
    }),
    convert,
    rateLimiter: makeTokenBucketLimiter({ capacity: 50, refillPerSecond: 1 }),
    clock,
    logger: silent,
    expiryWindowMs: 1000,
    holdWindowMsMax: 30_000,
  })
  return {
    clock,
    ledger,
    alice,
    bob,
    bobEu,
    sent,
    handle,
    debited,
    answer(next: Downstream) {
      downstream = next
    },
  }
}

async function fund(
  ledger: Ledger,
  accounts: readonly PeerAccount[],
  assets: readonly ConnectorAsset[],
) {
  await ledger.createAccounts([
    ...assets.flatMap((asset) => [
      { id: asset.id, ledger: asset.ledger, kind: 'ASSET' as const },
      { id: settlementAccountId(asset.id), ledger: asset.ledger, kind: 'SETTLEMENT' as const },
    ]),
    ...accounts.map((account) => ({
      id: account.id,
      ledger: account.asset.ledger,
      kind: 'PEER' as const,
    })),
  ])
  for (const account of [...accounts, ...assets.map((asset) => ({ id: asset.id, asset }))]) {
    const deposited = await ledger.transfer([
      {
        type: 'single',
        id: randomIds.uuid(),
        debitAccountId: settlementAccountId(account.asset.id),
        creditAccountId: account.id,
        amount: 10_000n,
        ledger: account.asset.ledger,
      },
    ])
    expect(deposited.ok).toBe(true)
  }
}

const balance = async (ledger: Ledger, id: string) => {
  const found = (await ledger.getBalances([id])).get(id)
  return found ? found.creditsPosted - found.debitsPosted - found.debitsPending : undefined
}

const fulfillment = randomBytes(32)
const condition = createHash('sha256').update(fulfillment).digest()

const prepare = (clockNow: number, overrides: Partial<IlpPrepare> = {}): IlpPrepare => ({
  amount: '100',
  expiresAt: new Date(clockNow + 10_000),
  executionCondition: condition,
  destination: 'test.bob.x',
  data: Buffer.from('hello'),
  ...overrides,
})

const code = (reply: IlpReply) => ('code' in reply ? reply.code : 'fulfill')

describe('the packet pipeline', () => {
  let t: ReturnType<typeof setup>
  beforeEach(async () => {
    t = setup()
    await fund(t.ledger, [t.alice, t.bob, t.bobEu], [usd, eur])
  })

  it('answers IL-DCP for a known peer before routing', async () => {
    const zero = Buffer.alloc(32)
    const reply = await t.handle(t.alice, {
      ...prepare(t.clock.now()),
      amount: '0',
      destination: 'peer.config',
      executionCondition: createHash('sha256').update(zero).digest(),
      data: Buffer.alloc(0),
    })
    expect(code(reply)).toBe('fulfill')
    const data = 'data' in reply ? reply.data : Buffer.alloc(0)
    const addressLength = data[0] ?? 0
    expect(data.subarray(1, 1 + addressLength).toString()).toBe('test.alice')
    expect(data[1 + addressLength]).toBe(2)
    expect(data.subarray(3 + addressLength).toString()).toBe('USD')
  })

  it('forwards to the longest prefix, holds then posts liquidity on a valid Fulfill', async () => {
    t.answer(() => ok(serializeIlpFulfill({ fulfillment, data: Buffer.from('ok') })))
    const reply = await t.handle(t.alice, prepare(t.clock.now()))
    expect(code(reply)).toBe('fulfill')
    expect(t.sent.map((s) => s.endpoint)).toEqual(['http://bob.example/ilp'])
    const forwarded = t.sent[0]?.prepare
    expect(forwarded?.amount).toBe('100')
    expect(forwarded?.expiresAt.getTime()).toBe(t.clock.now() + 9_000)
    expect(await balance(t.ledger, t.alice.id)).toBe(9_900n)
    expect(await balance(t.ledger, t.bob.id)).toBe(10_100n)
    expect(t.debited).toEqual([t.alice.id])
  })

  it('converts across assets through the asset liquidity accounts', async () => {
    t.answer(() => ok(serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })))
    const reply = await t.handle(t.alice, prepare(t.clock.now(), { destination: 'test.bob.eu.1' }))
    expect(code(reply)).toBe('fulfill')
    expect(t.sent[0]?.prepare.amount).toBe('91')
    expect(await balance(t.ledger, t.alice.id)).toBe(9_900n)
    expect(await balance(t.ledger, usd.id)).toBe(10_100n)
    expect(await balance(t.ledger, eur.id)).toBe(9_909n)
    expect(await balance(t.ledger, t.bobEu.id)).toBe(10_091n)
  })

  it('voids the hold when the peer rejects or fulfills wrongly, and passes the reject on', async () => {
    const downstreamReject: IlpReject = {
      code: 'F99',
      triggeredBy: 'test.bob',
      message: 'no',
      data: Buffer.alloc(0),
    }
    t.answer(() => ok(serializeIlpReject(downstreamReject)))
    expect(await t.handle(t.alice, prepare(t.clock.now()))).toEqual(downstreamReject)
    t.answer(() => ok(serializeIlpFulfill({ fulfillment: randomBytes(32), data: Buffer.alloc(0) })))
    expect(code(await t.handle(t.alice, prepare(t.clock.now())))).toBe('F05')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(await balance(t.ledger, t.alice.id)).toBe(10_000n)
    expect(await balance(t.ledger, t.bob.id)).toBe(10_000n)
    expect(t.debited).toEqual([])
  })

  it('rejects with the codes of COMPAT.md', async () => {
    const now = t.clock.now()
    t.answer(() => ok(serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })))
    expect(code(await t.handle(t.alice, prepare(now, { destination: 'test.carol' })))).toBe('F02')
    expect(code(await t.handle(t.alice, prepare(now, { destination: 'test.node.x' })))).toBe('F02')
    expect(code(await t.handle(t.alice, prepare(now, { expiresAt: new Date(now) })))).toBe('R00')
    expect(code(await t.handle(t.alice, prepare(now, { expiresAt: new Date(now + 1500) })))).toBe(
      'R02',
    )
    expect(code(await t.handle(t.bobEu, prepare(now, { destination: 'test.alice.1' })))).toBe('F07')
    expect(
      code(await t.handle(t.bob, prepare(now, { amount: '10001', destination: 'test.alice' }))),
    ).toBe('T04')
    const tooLarge = await t.handle(t.alice, prepare(now, { amount: '1001' }))
    expect(code(tooLarge)).toBe('F08')
    const data = 'data' in tooLarge ? tooLarge.data : Buffer.alloc(0)
    expect([data.readBigUInt64BE(0), data.readBigUInt64BE(8)]).toEqual([1001n, 1000n])
    t.answer(() => err('timeout'))
    expect(code(await t.handle(t.alice, prepare(now)))).toBe('R00')
    t.answer(() => err('unreachable'))
    expect(code(await t.handle(t.alice, prepare(now)))).toBe('T01')
  })

  it('rate limits each source account (T05)', async () => {
    t.answer(() => ok(serializeIlpFulfill({ fulfillment, data: Buffer.alloc(0) })))
    const codes = []
    for (let i = 0; i < 52; i += 1) {
      codes.push(code(await t.handle(t.alice, prepare(t.clock.now(), { amount: '1' }))))
    }
    expect(codes.filter((c) => c === 'fulfill')).toHaveLength(50)
    expect(codes.slice(-2)).toEqual(['T05', 'T05'])
    expect(
      code(
        await t.handle(t.bob, prepare(t.clock.now(), { amount: '1', destination: 'test.alice' })),
      ),
    ).toBe('fulfill')
  })
})
