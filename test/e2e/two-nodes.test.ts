import { randomBytes } from 'node:crypto'
import { createAuthenticatedClient } from '@interledger/open-payments'
import { createConnection } from 'ilp-protocol-stream'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { gql } from '../support/graphql-client.ts'
import { createPeer, httpPlugin, peerLiquidity } from '../support/ilp-e2e.ts'
import { auditAsset, type AuditedAccount } from '../support/ledger-audit.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
  depositAssetLiquidity,
  registerClientKey,
  type ClientKey,
  type OpenPaymentsNode,
} from '../support/open-payments-e2e.ts'
import { startRatesServer, type RatesServer } from '../support/rates-server.ts'
import { testNodeTargets } from '../support/test-node.ts'

// Node A keeps USD, node B EUR (both scale 2). A peer relationship is in one asset, as in
// Rafiki; each scenario puts it in one of the two, so the conversion happens on a different node
// and on a different step of the pipeline (forwarding or local delivery).
type Code = 'USD' | 'EUR'
const rates: Record<Code, Record<string, number>> = { USD: { EUR: 0.91 }, EUR: { USD: 1 / 0.91 } }
const assetScale = 2
const deposit = 1_000_000n
// Not a divisor of the amounts: every packet's conversion rounds down.
const packetAmountMax = '120'

type Scenario = { readonly scenario: string; readonly peering: Code }
const scenarios: readonly Scenario[] = [
  { scenario: 'peered in USD, B converts on delivery', peering: 'USD' },
  { scenario: 'peered in EUR, A converts when forwarding', peering: 'EUR' },
]

type Side = {
  readonly name: 'a' | 'b'
  /** The asset of its client, its wallet address and its incoming payments. */
  readonly home: Code
  readonly node: OpenPaymentsNode
  readonly connectorUrl: string
  readonly assets: ReadonlyMap<Code, string>
  /** A client sending over ILP-over-HTTP as a peer of this node. */
  readonly client: { readonly id: string; readonly token: string }
  readonly walletUrl: string
  /** The Open Payments client's own wallet address and key. */
  readonly app: { readonly url: string; readonly key: ClientKey }
  /** Every account holding money besides the assets' own, for the ledger audit. */
  readonly accounts: { readonly code: Code; readonly account: AuditedAccount }[]
  /** Its peer for the other node, set once both are up. */
  peerId: string
}

const cases = testNodeTargets('two-nodes e2e').flatMap((target) =>
  scenarios.map((scenario) => ({ ...target, ...scenario })),
)

describe.each(cases)('two peered nodes ($name; $scenario)', ({ env, peering }) => {
  let ratesServer: RatesServer
  let a: Side
  let b: Side
  /** The node whose pipeline converts, whichever way the money goes. */
  const converter = peering === 'USD' ? 'b' : 'a'

  async function bootSide(name: 'a' | 'b', home: Code): Promise<Side> {
    const node = await bootOpenPaymentsNode({
      ...env,
      ILP_ADDRESS: `test.${name}`,
      STREAM_SECRET: randomBytes(32).toString('base64'),
      EXCHANGE_RATES_URL: `${ratesServer.url}/${name}`,
    })
    const assets = new Map<Code, string>()
    for (const code of new Set([home, peering])) {
      const assetId = await createAsset(node.adminUrl, code, assetScale)
      await depositAssetLiquidity(node.adminUrl, assetId, deposit)
      assets.set(code, assetId)
    }
    const homeAssetId = assets.get(home) ?? ''
    const token = `client-of-${name}-${crypto.randomUUID()}`
    const clientId = await createPeer(node.adminUrl, {
      assetId: homeAssetId,
      staticIlpAddress: `test.client-of-${name}`,
      incomingToken: token,
      outgoing: { endpoint: 'http://127.0.0.1:9/unused', authToken: 'unused' },
      initialLiquidity: deposit.toString(),
    })
    const walletUrl = `${node.opUrl}/${name}-wallet-${crypto.randomUUID()}`
    await createWalletAddress(node.adminUrl, homeAssetId, walletUrl)
    const appUrl = `${node.opUrl}/${name}-app-${crypto.randomUUID()}`
    const appId = await createWalletAddress(node.adminUrl, homeAssetId, appUrl)
    return {
      name,
      home,
      node,
      connectorUrl: `http://127.0.0.1:${node.ports.connector}/`,
      assets,
      client: { id: clientId, token },
      walletUrl,
      app: { url: appUrl, key: await registerClientKey(node.adminUrl, appId) },
      accounts: [{ code: home, account: { kind: 'peer', id: clientId } }],
      peerId: '',
    }
  }

  /** `from`'s peer for `to`: to's real connector URL, with the tokens each side gave the other. */
  async function peerWith(from: Side, to: Side, tokens: Map<string, string>): Promise<void> {
    const token = (x: Side, y: Side) => tokens.get(`${x.name}${y.name}`) ?? ''
    from.peerId = await createPeer(from.node.adminUrl, {
      assetId: from.assets.get(peering) ?? '',
      staticIlpAddress: `test.${to.name}`,
      incomingToken: token(to, from),
      outgoing: { endpoint: to.connectorUrl, authToken: token(from, to) },
      initialLiquidity: deposit.toString(),
    })
    from.accounts.push({ code: peering, account: { kind: 'peer', id: from.peerId } })
  }

  beforeAll(async () => {
    ratesServer = await startRatesServer(rates)
    a = await bootSide('a', 'USD')
    b = await bootSide('b', 'EUR')
    const tokens = new Map(['ab', 'ba'].map((key) => [key, `${key}-${crypto.randomUUID()}`]))
    await peerWith(a, b, tokens)
    await peerWith(b, a, tokens)
  })
  afterAll(async () => {
    await a?.node.stop()
    await b?.node.stop()
    await ratesServer?.close()
  })

  it('a STREAM payment from a client at A completes an EUR incoming payment at B exactly', async () => {
    const before = await peerBalances()
    const paid = await pay(a, b, 910n)
    expect(paid.delivered).toBe(910n)
    // 910 EUR cost at least 1000 USD at 0.91; each packet's rounding costs the sender < 1.1 USD.
    expect(paid.sent).toBeGreaterThanOrEqual(1000n)
    expect(paid.sent).toBeLessThan(1020n)
    await expectCompleted(b, paid, 910n)
    const after = await peerBalances()
    expect(before.client.a - after.client.a).toBe(paid.sent)
    expect(after.client.b).toBe(before.client.b)
    // What A handed over to B, B took in from A, in the peering asset.
    const handedOver = after.peer.a - before.peer.a
    expect(handedOver).toBe(peering === 'USD' ? paid.sent : paid.delivered)
    expect(before.peer.b - after.peer.b).toBe(handedOver)
    expect(basesAskedBy(converter)).toEqual(['USD'])
    expect(basesAskedBy(converter === 'a' ? 'b' : 'a')).toEqual([])
    await expectBalanced(a)
    await expectBalanced(b)
  })

  it('is peered both ways: a client at B pays a USD incoming payment at A', async () => {
    const before = await peerBalances()
    const paid = await pay(b, a, 500n)
    expect(paid.delivered).toBe(500n)
    // 500 USD cost at least 455 EUR at 1/0.91.
    expect(paid.sent).toBeGreaterThanOrEqual(455n)
    expect(paid.sent).toBeLessThan(470n)
    await expectCompleted(a, paid, 500n)
    const after = await peerBalances()
    expect(before.client.b - after.client.b).toBe(paid.sent)
    const handedOver = after.peer.b - before.peer.b
    expect(handedOver).toBe(peering === 'USD' ? paid.delivered : paid.sent)
    expect(before.peer.a - after.peer.a).toBe(handedOver)
    expect(basesAskedBy(converter)).toContain('EUR')
    expect(basesAskedBy(converter === 'a' ? 'b' : 'a')).toEqual([])
    await expectBalanced(a)
    await expectBalanced(b)
  })

  it('accounts packets that deliver nothing after rounding (1 USD cent -> 0 EUR)', async () => {
    const before = await peerBalances()
    const incoming = await createIncomingPayment(b, 910n)
    const connection = await createConnection({
      plugin: httpPlugin(a.connectorUrl, a.client.token),
      destinationAccount: incoming.ilpAddress,
      sharedSecret: Buffer.from(incoming.sharedSecret, 'base64url'),
      maximumPacketAmount: '1',
    })
    await connection.createStream().sendTotal(5)
    await connection.end()
    const after = await peerBalances()
    expect(before.client.a - after.client.a).toBe(BigInt(connection.totalSent))
    expect(before.peer.b - after.peer.b).toBe(after.peer.a - before.peer.a)
    await expectBalanced(a)
    await expectBalanced(b)
  })

  type Paid = {
    readonly paymentUrl: string
    readonly read: () => Promise<{ completed: boolean; receivedAmount?: { value: string } }>
    /** Source units the sender's STREAM connection had fulfilled. */
    readonly sent: bigint
    /** Destination units the receiver acknowledged. */
    readonly delivered: bigint
  }

  /**
   * Creates an incoming payment of `amount` at `to` through its Open Payments API and pays it with
   * a STREAM sender at `from`, delivering a fixed amount: each round sends the most that cannot
   * deliver more than what is still missing (the receiver rounds each packet down), until the
   * receiver has acknowledged exactly `amount`.
   */
  async function pay(from: Side, to: Side, amount: bigint): Promise<Paid> {
    const incoming = await createIncomingPayment(to, amount)
    const connection = await createConnection({
      plugin: httpPlugin(from.connectorUrl, from.client.token),
      destinationAccount: incoming.ilpAddress,
      sharedSecret: Buffer.from(incoming.sharedSecret, 'base64url'),
      maximumPacketAmount: packetAmountMax,
    })
    try {
      const stream = connection.createStream()
      const rate = fraction(rates[from.home][to.home] ?? 0)
      for (let round = 0; round < 10; round += 1) {
        const missing = amount - BigInt(connection.totalDelivered)
        if (missing <= 0n) break
        const source = sourceAmountMax(missing, rate)
        expect(source).toBeGreaterThan(0n)
        await stream.sendTotal((BigInt(stream.totalSent) + source).toString())
      }
      await connection.end()
    } catch (error) {
      connection.destroy()
      throw error
    }
    return {
      paymentUrl: incoming.paymentUrl,
      read: incoming.read,
      sent: BigInt(connection.totalSent),
      delivered: BigInt(connection.totalDelivered),
    }
  }

  async function createIncomingPayment(side: Side, amount: bigint) {
    const client = await createAuthenticatedClient({
      walletAddressUrl: side.app.url,
      privateKey: side.app.key.privateKey,
      keyId: side.app.key.keyId,
      useHttp: true,
      logLevel: 'silent',
    })
    const accessToken = side.node.auth.issue(`t-${crypto.randomUUID()}`, {
      client: side.app.url,
      access: [
        { type: 'incoming-payment', actions: ['create', 'read'], identifier: side.walletUrl },
      ],
    })
    const payment = await client.incomingPayment.create(
      { url: side.node.opUrl, accessToken },
      {
        walletAddress: side.walletUrl,
        incomingAmount: { value: amount.toString(), assetCode: side.home, assetScale },
      },
    )
    const [method] = payment.methods
    if (method?.type !== 'ilp') throw new Error('no ilp method')
    side.accounts.push({
      code: side.home,
      account: { kind: 'incomingPayment', id: idOf(payment.id) },
    })
    return {
      paymentUrl: payment.id,
      ilpAddress: method.ilpAddress,
      sharedSecret: method.sharedSecret,
      read: () => client.incomingPayment.get({ url: payment.id, accessToken }),
    }
  }

  async function expectCompleted(side: Side, paid: Paid, amount: bigint): Promise<void> {
    expect(await paid.read()).toMatchObject({
      completed: true,
      receivedAmount: { value: amount.toString() },
    })
    const admin = await gql(
      side.node.adminUrl,
      `query ($id: String!) { incomingPayment(id: $id) {
        state liquidity receivedAmount { value assetCode } } }`,
      { id: idOf(paid.paymentUrl) },
    )
    expect(admin.data).toEqual({
      incomingPayment: {
        state: 'COMPLETED',
        liquidity: amount.toString(),
        receivedAmount: { value: amount.toString(), assetCode: side.home },
      },
    })
  }

  /** Liquidity of each node's client and of each node's peer for the other node. */
  /**
   * Peers' liquidity once it has stopped moving: a connector keeps liquidity reserved for a few
   * milliseconds after its last packet, so that the next one needs no ledger call.
   */
  async function peerBalances() {
    for (let previous = await readPeerBalances(); ;) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      const current = await readPeerBalances()
      if (
        JSON.stringify(current, (_, v) => String(v)) ===
        JSON.stringify(previous, (_, v) => String(v))
      ) {
        return current
      }
      previous = current
    }
  }

  async function readPeerBalances() {
    const [clientA, clientB, peerA, peerB] = await Promise.all([
      peerLiquidity(a.node.adminUrl, a.client.id),
      peerLiquidity(b.node.adminUrl, b.client.id),
      peerLiquidity(a.node.adminUrl, a.peerId),
      peerLiquidity(b.node.adminUrl, b.peerId),
    ])
    return { client: { a: clientA, b: clientB }, peer: { a: peerA, b: peerB } }
  }

  /** Each base the node asked the rates service for, in order of first request. */
  const basesAskedBy = (name: 'a' | 'b'): string[] => [
    ...new Set(ratesServer.requests.filter((r) => r.path === `/${name}`).map((r) => r.base)),
  ]
})

/**
 * Per asset of the node: the deposits made (the asset's own, plus each peer's initial
 * liquidity) are what its accounts hold, and every hold was posted or voided. Holds of rejected
 * packets are voided after the reply, so this waits for them.
 */
async function expectBalanced(side: Side): Promise<void> {
  await vi.waitFor(
    async () => {
      for (const [code, assetId] of side.assets) {
        const accounts = side.accounts.filter((x) => x.code === code).map((x) => x.account)
        const peers = accounts.filter((account) => account.kind === 'peer').length
        const expected = deposit * BigInt(1 + peers)
        const audit = await auditAsset(side.node.adminUrl, assetId, accounts)
        expect({ node: side.name, code, ...audit }).toEqual({
          node: side.name,
          code,
          deposited: expected,
          liquidity: expected,
          pending: 0,
        })
      }
    },
    { timeout: 5_000, interval: 100 },
  )
}

const idOf = (url: string): string => url.split('/').at(-1) ?? ''

/** A rate as the fraction its shortest decimal spells, which is how the nodes read it. */
function fraction(rate: number): { readonly numerator: bigint; readonly denominator: bigint } {
  const [whole = '', decimals = ''] = String(rate).split('.')
  if (!/^\d+$/.test(whole + decimals) || rate <= 0) throw new Error(`unexpected rate ${rate}`)
  return { numerator: BigInt(whole + decimals), denominator: 10n ** BigInt(decimals.length) }
}

/** The most source units whose conversion, rounded down, delivers at most `destination`. */
const sourceAmountMax = (
  destination: bigint,
  rate: { readonly numerator: bigint; readonly denominator: bigint },
): bigint => ((destination + 1n) * rate.denominator - 1n) / rate.numerator
