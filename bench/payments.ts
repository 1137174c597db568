// Outgoing payments end to end against the `npm start` bundle running as its own process(es), on
// real PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL) and Redis (BENCH_REDIS_URL or
// TEST_REDIS_URL), with a test ASE that funds each payment on outgoing_payment.created:
//   LOCAL: USD from one wallet address of the node to another;
//   node to node: node A pays a wallet address of node B over ILP-over-HTTP (each node with its
//   own database and test authorization server, peered in USD).
// Each payment of the load generator: an incoming payment (at B through A's createReceiver for
// node to node), a quote, then createOutgoingPayment; its latency runs from createOutgoingPayment
// to the ASE receiving outgoing_payment.completed. payments/s counts whole flows, quote included.

import { randomBytes } from 'node:crypto'
import { withFreshDatabaseUrl } from './fresh-database.ts'
import { startFundingAse, type FundingAse } from '../test/support/funding-ase.ts'
import { gql } from '../test/support/graphql-client.ts'
import { createPeer } from '../test/support/ilp-e2e.ts'
import {
  createAsset,
  createWalletAddress,
  depositAssetLiquidity,
  payload,
} from '../test/support/open-payments-e2e.ts'
import {
  buildNodeBundle,
  ephemeralPorts,
  spawnNode,
  type Spawned,
} from '../test/support/spawn-node.ts'
import { freePort, startTestAuthServer } from '../test/support/test-auth-server.ts'

const concurrencies = [1, 8] as const
const paymentsPerLane = Number(process.env['BENCH_PAYMENTS_PER_LANE'] || 25)
const warmupPayments = 5
const amount = { value: '100', assetCode: 'USD', assetScale: 2 }
const liquidity = 1_000_000_000n
const completionTimeoutMs = 60_000

type Figures = { perSecond: number; p50Ms: number; p90Ms: number }
type Row = { name: string; concurrency: number } & Figures

/** Resolves with each payment's outgoing_payment.completed webhook; rejects on .failed. */
function completions(ase: FundingAse): (id: string) => Promise<void> {
  // An event may arrive before createOutgoingPayment answers, so before anyone waits for it.
  const ended = new Map<string, string>()
  const waiting = new Map<string, (type: string) => void>()
  ase.onEvent = (body) => {
    const id = body.data['id']
    const ending =
      body.type === 'outgoing_payment.completed' || body.type === 'outgoing_payment.failed'
    if (typeof id !== 'string' || !ending) return
    ended.set(id, body.type)
    waiting.get(id)?.(body.type)
  }
  return (id) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`payment ${id}: no end`)),
        completionTimeoutMs,
      )
      const settle = (type: string) => {
        clearTimeout(timer)
        waiting.delete(id)
        if (type === 'outgoing_payment.completed') resolve()
        else reject(new Error(`payment ${id}: ${type}`))
      }
      const type = ended.get(id)
      if (type) settle(type)
      else waiting.set(id, settle)
    })
}

type Payer = {
  readonly adminUrl: string
  readonly walletAddressId: string
  /** Makes a receiver (an incoming payment URL) for `amount`. */
  readonly receiver: () => Promise<string>
}

/** One payment: receiver and quote, then createOutgoingPayment timed to its completed webhook. */
async function payOnce(payer: Payer, completed: (id: string) => Promise<void>): Promise<number> {
  const receiver = await payer.receiver()
  const quote = await gql(
    payer.adminUrl,
    `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
    { input: { walletAddressId: payer.walletAddressId, receiver, receiveAmount: amount } },
  )
  const quoteId = payload<{ id: string }>(quote, 'createQuote', 'quote').id
  const started = performance.now()
  const created = await gql(
    payer.adminUrl,
    `mutation ($input: CreateOutgoingPaymentInput!) {
      createOutgoingPayment(input: $input) { payment { id } } }`,
    { input: { walletAddressId: payer.walletAddressId, quoteId } },
  )
  const id = payload<{ id: string }>(created, 'createOutgoingPayment', 'payment').id
  try {
    await completed(id)
  } catch (error) {
    const state = await gql(
      payer.adminUrl,
      `query ($id: String!) { outgoingPayment(id: $id) { state error sentAmount { value } } }`,
      { id },
    )
    throw new Error(`${String(error)}: ${JSON.stringify(state.data)}`, { cause: error })
  }
  return performance.now() - started
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN

async function load(
  payer: Payer,
  completed: (id: string) => Promise<void>,
  concurrency: number,
): Promise<Figures> {
  await Promise.all(
    Array.from({ length: Math.min(concurrency, warmupPayments) }, () => payOnce(payer, completed)),
  )
  const latencies: number[] = []
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < paymentsPerLane; i += 1) {
        latencies.push(await payOnce(payer, completed))
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
  }
}

const nodeEnv = (databaseUrl: string, redisUrl: string, webhookUrl: string) => ({
  ...ephemeralPorts,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  USE_TIGERBEETLE: 'false',
  STREAM_SECRET: randomBytes(32).toString('base64'),
  WEBHOOK_URL: webhookUrl,
  // One webhook worker would queue four events a payment behind each other at concurrency 8.
  WEBHOOK_WORKERS: '8',
  LOG_LEVEL: 'info',
})

/** Creates an incoming payment for `amount` on the node's own wallet address. */
const localReceiver = (adminUrl: string, opUrl: string, walletAddressId: string) => async () => {
  const reply = await gql(
    adminUrl,
    `mutation ($input: CreateIncomingPaymentInput!) {
      createIncomingPayment(input: $input) { payment { id } } }`,
    { input: { walletAddressId, incomingAmount: amount } },
  )
  return `${opUrl}/incoming-payments/${payload<{ id: string }>(reply, 'createIncomingPayment', 'payment').id}`
}

async function benchLocal(databaseUrl: string, redisUrl: string): Promise<Row[]> {
  let node: Spawned | undefined
  const ase = await startFundingAse(() => `http://127.0.0.1:${node?.ports.admin ?? 9}`)
  const opUrl = 'https://bench.example'
  try {
    node = await spawnNode(
      'node',
      {
        ...nodeEnv(databaseUrl, redisUrl, ase.url),
        OPEN_PAYMENTS_URL: opUrl,
        ILP_ADDRESS: 'test.local',
      },
      60_000,
      // e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the node.
      (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
    )
    const adminUrl = `http://127.0.0.1:${node.ports.admin}`
    const usd = await createAsset(adminUrl, 'USD')
    const alice = await createWalletAddress(adminUrl, usd, `${opUrl}/alice`)
    const bob = await createWalletAddress(adminUrl, usd, `${opUrl}/bob`)
    const payer = {
      adminUrl,
      walletAddressId: alice,
      receiver: localReceiver(adminUrl, opUrl, bob),
    }
    const completed = completions(ase)
    const rows: Row[] = []
    for (const concurrency of concurrencies) {
      rows.push({ name: 'LOCAL', concurrency, ...(await load(payer, completed, concurrency)) })
    }
    return rows
  } finally {
    await node?.stop('SIGTERM')
    await ase.close()
  }
}

type Side = { node: Spawned; adminUrl: string; opUrl: string; usd: string; walletUrl: string }

async function bootSide(
  name: 'a' | 'b',
  env: Record<string, string>,
  auth: Awaited<ReturnType<typeof startTestAuthServer>>,
): Promise<Side> {
  const port = await freePort()
  const opUrl = `http://127.0.0.1:${port}`
  const node = await spawnNode('node', {
    ...env,
    OPEN_PAYMENTS_PORT: String(port),
    OPEN_PAYMENTS_URL: opUrl,
    AUTH_SERVER_GRANT_URL: auth.grantUrl,
    AUTH_SERVER_INTROSPECTION_URL: auth.introspectionUrl,
    ILP_ADDRESS: `test.${name}`,
    ...(name === 'a' && {
      WALLET_ADDRESS_URL: `${opUrl}/.well-known/pay`,
      KEY_ID: `bench-a-${crypto.randomUUID()}`,
    }),
  })
  const adminUrl = `http://127.0.0.1:${node.ports.admin}`
  const usd = await createAsset(adminUrl, 'USD')
  await depositAssetLiquidity(adminUrl, usd, liquidity)
  return { node, adminUrl, opUrl, usd, walletUrl: `${opUrl}/${name}-wallet` }
}

async function benchNodeToNode(urls: readonly string[], redisUrl: string): Promise<Row[]> {
  const sides: Side[] = []
  const auths = [await startTestAuthServer(), await startTestAuthServer()]
  const ase = await startFundingAse(() => sides[0]?.adminUrl ?? 'http://127.0.0.1:9')
  try {
    for (const [index, name] of (['a', 'b'] as const).entries()) {
      const env = nodeEnv(urls[index] ?? '', redisUrl, ase.url)
      sides.push(await bootSide(name, env, auths[index] as (typeof auths)[number]))
    }
    const [a, b] = sides as [Side, Side]
    const payerId = await createWalletAddress(a.adminUrl, a.usd, a.walletUrl)
    await createWalletAddress(b.adminUrl, b.usd, b.walletUrl)
    const [ab, ba] = [`ab-${crypto.randomUUID()}`, `ba-${crypto.randomUUID()}`]
    const connectorUrl = (side: Side) => `http://127.0.0.1:${side.node.ports.connector}/`
    for (const [from, to, incomingToken, authToken] of [
      [a, b, ba, ab],
      [b, a, ab, ba],
    ] as const) {
      await createPeer(from.adminUrl, {
        assetId: from.usd,
        staticIlpAddress: `test.${to === a ? 'a' : 'b'}`,
        incomingToken,
        outgoing: { endpoint: connectorUrl(to), authToken },
        initialLiquidity: liquidity.toString(),
      })
    }
    const receiver = async () => {
      const reply = await gql(
        a.adminUrl,
        `mutation ($input: CreateReceiverInput!) { createReceiver(input: $input) { receiver { id } } }`,
        { input: { walletAddressUrl: b.walletUrl, incomingAmount: amount } },
      )
      return payload<{ id: string }>(reply, 'createReceiver', 'receiver').id
    }
    const payer = { adminUrl: a.adminUrl, walletAddressId: payerId, receiver }
    const completed = completions(ase)
    const rows: Row[] = []
    for (const concurrency of concurrencies) {
      rows.push({
        name: 'node to node',
        concurrency,
        ...(await load(payer, completed, concurrency)),
      })
    }
    return rows
  } catch (error) {
    // The nodes' own logs say why a payment did not end.
    for (const side of sides) console.error(side.node.output().slice(-4_000))
    throw error
  } finally {
    for (const side of sides) await side.node.stop('SIGTERM')
    for (const auth of auths) await auth.close()
    await ase.close()
  }
}

export async function benchPayments(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL']
  const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL']
  if (!databaseUrl || !redisUrl) {
    console.info('bench:payments needs BENCH_DATABASE_URL and BENCH_REDIS_URL (or TEST_*)')
    return
  }
  await buildNodeBundle()
  const rows: Row[] = []
  await withFreshDatabaseUrl(databaseUrl, 'bench_pay', async (url) => {
    rows.push(...(await benchLocal(url, redisUrl)))
  })
  await withFreshDatabaseUrl(databaseUrl, 'bench_pay_a', (a) =>
    withFreshDatabaseUrl(databaseUrl, 'bench_pay_b', async (b) => {
      rows.push(...(await benchNodeToNode([a, b], redisUrl)))
    }),
  )
  console.info(
    `\nOutgoing payments, PostgreSQL + Redis, ${paymentsPerLane} payments a lane after a warm-up;` +
      '\nlatency: createOutgoingPayment to the ASE receiving outgoing_payment.completed',
  )
  console.table(
    rows.map((row) => ({
      payments: row.name,
      concurrency: row.concurrency,
      'payments/s': Number(row.perSecond.toFixed(1)),
      'p50 ms': Math.round(row.p50Ms),
      'p90 ms': Math.round(row.p90Ms),
    })),
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPayments()
