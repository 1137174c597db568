// ILP connector throughput at concurrency 8 over ILP-over-HTTP against the `npm start` bundle
// running as its own process, with the Postgres ledger on real PostgreSQL (BENCH_DATABASE_URL or
// TEST_DATABASE_URL) and Redis (BENCH_REDIS_URL or TEST_REDIS_URL):
//   forwarded-and-fulfilled packets/s to a sink peer, before and after 1,000,000 transfers are
//   added to the ledger; F02 rejects/s; STREAM packets/s received into an incoming payment.
// The load generator and the sink share the node's two cores, so they speak raw HTTP/1.1 (the
// node's own small client, bench/lean-sink-peer.ts); the node is warmed up once before the first
// figure. `?host=/var/run/postgresql` on the database URL reaches a local server by its socket.
// Every answer is checked: a Fulfill, or a Reject with the code the run is about (a rate-limited
// T05 counts as a failure, not as an F02); the runs faster than one peer's 10,000 packets/s
// limit send from eight peers in turn.

import { randomBytes, randomUUID } from 'node:crypto'
import { deserializeIlpReject } from 'ilp-packet'
import { createConnection } from 'ilp-protocol-stream'
import { makeStreamReceiver } from '../adapters/ilp/stream-receiver.ts'
import { makeMemoryCache } from '../adapters/memory/memory-cache.ts'
import { systemClock } from '../adapters/system/system-clock.ts'
import { benchSql, withFreshDatabaseUrl } from './fresh-database.ts'
import { ratePerSecond } from './rates.ts'
import { gql } from '../test/support/graphql-client.ts'
import { createPeer, httpPlugin, prepareBytes } from '../test/support/ilp-e2e.ts'
import { createAsset, createWalletAddress, payload } from '../test/support/open-payments-e2e.ts'
import { makeHttp1Client } from '../adapters/http/http1-client.ts'
import { startLeanSinkPeer } from './lean-sink-peer.ts'
import { buildNodeBundle, ephemeralPorts, spawnNode } from '../test/support/spawn-node.ts'

const concurrency = 8
const warmupMs = 2_000
const bootWarmupMs = 5_000
const measureMs = Number(process.env['BENCH_CONNECTOR_MS'] || 10_000)
const fillCount = Number(process.env['BENCH_CONNECTOR_FILL'] || 1_000_000)
const fillChunk = 100_000

/** A Fulfill, or a Reject with its ILP error code. */
type Outcome = 'fulfill' | 'F02' | 'F99' | 'T05'

// The load generator speaks HTTP/1.1 with the node's own small client (as the sink answers on raw
// sockets): node:http would spend a third of the machine's CPU on the generator's side.
const client = makeHttp1Client({ socketsPerOriginMax: concurrency, replyBytesMax: 64 * 1024 })

const headersOf = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/octet-stream',
})

/** What the node answered: a Fulfill, or the code of its Reject. */
function outcomeOf(response: Awaited<ReturnType<typeof client.post>>): string {
  if (!response.ok) return response.error
  if (response.value.status !== 200) return `HTTP ${response.value.status}`
  // ILP packet types: 13 Fulfill, 14 Reject.
  const body = response.value.body
  return body[0] === 13 ? 'fulfill' : deserializeIlpReject(body).code
}

/**
 * Packets/s of `concurrency` loops sending `body()`, each answer checked to be `expected`. The
 * calls take the tokens in turn: the node limits each peer to 10,000 packets/s (T05), so a run
 * meant to measure more than that spreads over several peers.
 */
const rate = (url: string, tokens: readonly string[], body: () => Buffer, expected: Outcome) => {
  const target = new URL(url)
  const headers = tokens.map(headersOf)
  let turn = 0
  return ratePerSecond({ concurrency, warmupMs, measureMs }, async () => {
    turn = (turn + 1) % headers.length
    const outcome = outcomeOf(await client.post(target, headers[turn]!, body(), 30_000))
    if (outcome !== expected) throw new Error(`expected ${expected}, got ${outcome}`)
  })
}

/** STREAM packets/s: `concurrency` connections paying one incoming payment 1 unit a packet. */
async function streamRate(connectorUrl: string, token: string, ilpAddress: string, secret: Buffer) {
  const perConnection = 500
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const connection = await createConnection({
        plugin: httpPlugin(connectorUrl, token),
        destinationAccount: ilpAddress,
        sharedSecret: secret,
        maximumPacketAmount: '1',
      })
      await connection.createStream().sendTotal(perConnection, { timeout: 600_000 })
      await connection.end()
    }),
  )
  return (concurrency * perConnection) / ((performance.now() - started) / 1000)
}

/**
 * Adds `count` posted transfers of 1 to the ledger's history, back and forth between the node's
 * own two peer accounts (as a node with one busy route would hold them): their balances end where
 * they were, their history indexes grow by half a million entries each.
 */
async function fillLedger(databaseUrl: string, count: number, [a, b]: readonly [string, string]) {
  // An odd count leaves one more transfer from `a` (the sending peer, with plenty of liquidity).
  const sql = benchSql(databaseUrl)
  try {
    const [account] = await sql<{ ledger: number }[]>`
      select ledger from ledger_accounts where id = ${a}`
    if (account === undefined) throw new Error(`fill: no ledger account ${a}`)
    const ledger = account.ledger
    for (let start = 0; start < count; start += fillChunk) {
      const end = Math.min(count, start + fillChunk) - 1
      await sql.begin(async (tx) => {
        await tx`
          insert into ledger_transfers (id, type, debit_account_id, credit_account_id, amount,
                                        ledger, state, created_at)
          select gen_random_uuid(), 'single',
            case when i % 2 = 0 then ${a}::uuid else ${b}::uuid end,
            case when i % 2 = 0 then ${b}::uuid else ${a}::uuid end, 1, ${ledger}, 'POSTED', now()
          from generate_series(${start}::int, ${end}::int) as i`
        const moved = end - start + 1
        await tx`update ledger_accounts set debits_posted = debits_posted + ${Math.ceil(moved / 2)},
          credits_posted = credits_posted + ${Math.floor(moved / 2)} where id = ${a}`
        await tx`update ledger_accounts set debits_posted = debits_posted + ${Math.floor(moved / 2)},
          credits_posted = credits_posted + ${Math.ceil(moved / 2)} where id = ${b}`
      })
    }
    await sql`vacuum analyze ledger_transfers`
    await sql`checkpoint`
    const [row] = await sql<{ n: string }[]>`select count(*)::text as n from ledger_transfers`
    console.info(`ledger now holds ${Number(row?.n).toLocaleString('en')} transfers`)
  } finally {
    await sql.end({ timeout: 5 })
  }
}

async function measure(databaseUrl: string, redisUrl: string): Promise<Record<string, number>> {
  const streamSecret = randomBytes(32)
  // STREAM credentials are derived from STREAM_SECRET alone: the bench makes the node's own.
  const receiver = makeStreamReceiver({
    ilpAddress: 'test.node',
    secret: streamSecret,
    cache: makeMemoryCache(systemClock),
  })
  const sink = await startLeanSinkPeer()
  const node = await spawnNode(
    'node',
    {
      ...ephemeralPorts,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      USE_TIGERBEETLE: 'false',
      ILP_ADDRESS: 'test.node',
      STREAM_SECRET: streamSecret.toString('base64'),
      LOG_LEVEL: 'info',
    },
    60_000,
    // e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the node.
    (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
  )
  try {
    const adminUrl = `http://127.0.0.1:${node.ports.admin}`
    const connectorUrl = `http://127.0.0.1:${node.ports.connector}/`
    const assetId = await createAsset(adminUrl, 'USD')
    const token = `bench-${randomUUID()}`
    const senderPeerId = await createPeer(adminUrl, {
      assetId,
      staticIlpAddress: 'test.sender',
      incomingToken: token,
      outgoing: { endpoint: 'http://127.0.0.1:9/unused', authToken: 'unused' },
      initialLiquidity: '1000000000000',
    })
    // More sending peers, one per loop, for the runs faster than one peer's rate limit.
    const manyTokens = [token]
    for (let i = 1; i < concurrency; i += 1) {
      manyTokens.push(`bench-${randomUUID()}`)
      await createPeer(adminUrl, {
        assetId,
        staticIlpAddress: `test.sender${i}`,
        incomingToken: manyTokens[i]!,
        outgoing: { endpoint: 'http://127.0.0.1:9/unused', authToken: 'unused' },
        initialLiquidity: '1000000000000',
      })
    }
    const sinkPeerId = await createPeer(adminUrl, {
      assetId,
      staticIlpAddress: 'test.sink',
      incomingToken: `sink-${randomUUID()}`,
      outgoing: { endpoint: sink.url, authToken: sink.token },
    })
    const forward = () => prepareBytes({ destination: 'test.sink.bob', amount: '1' })
    const figures: Record<string, number> = {}
    // A node just booted runs its hot path cold (JIT, the database's plans and caches) for a few
    // seconds: once, longer than each run's own warm-up, so that the first figure and the one
    // after the fill compare a warm node with a warm node.
    await ratePerSecond({ concurrency, warmupMs: 0, measureMs: bootWarmupMs }, async () => {
      const response = await client.post(new URL(connectorUrl), headersOf(token), forward(), 30_000)
      if (!response.ok) throw new Error(`warm-up: ${response.error}`)
    })
    figures['forwarded + fulfilled packets/s'] = await rate(
      connectorUrl,
      [token],
      forward,
      'fulfill',
    )
    // The same path with no ledger transfer to commit: the sink rejects (wrong condition), so
    // the packet's liquidity goes back to the chunk in memory. The gap to the fulfilled rate is
    // the wait for the durable settlement.
    const refused = () =>
      prepareBytes({
        destination: 'test.sink.bob',
        amount: '1',
        executionCondition: randomBytes(32),
      })
    figures['forwarded + rejected by the sink packets/s'] = await rate(
      connectorUrl,
      manyTokens,
      refused,
      'F99',
    )
    const unknown = () => prepareBytes({ destination: 'test.nobody', amount: '1' })
    figures['F02 rejects/s'] = await rate(connectorUrl, manyTokens, unknown, 'F02')
    const walletAddressId = await createWalletAddress(
      adminUrl,
      assetId,
      'https://bench.example/alice',
    )
    const created = await gql(
      adminUrl,
      `mutation ($input: CreateIncomingPaymentInput!) { createIncomingPayment(input: $input) { payment { id } } }`,
      { input: { walletAddressId } },
    )
    const paymentId = payload<{ id: string }>(created, 'createIncomingPayment', 'payment').id
    const credentials = receiver.credentials({ kind: 'incoming-payment', id: paymentId })
    figures['STREAM packets/s into an incoming payment'] = await streamRate(
      connectorUrl,
      token,
      credentials.ilpAddress,
      credentials.sharedSecret,
    )
    // The ratio compares the runs on either side of the fill, so that nothing else (the other
    // runs, the machine's drift over a minute) comes between them.
    figures['forwarded + fulfilled packets/s before the fill'] = await rate(
      connectorUrl,
      [token],
      forward,
      'fulfill',
    )
    await fillLedger(databaseUrl, fillCount, [senderPeerId, sinkPeerId])
    figures['forwarded + fulfilled packets/s after the fill'] = await rate(
      connectorUrl,
      [token],
      forward,
      'fulfill',
    )
    return figures
  } finally {
    await node.stop('SIGTERM')
    await sink.close()
    client.close()
  }
}

export async function benchConnector(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL']
  const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL']
  if (!databaseUrl || !redisUrl) {
    console.info('bench:connector needs BENCH_DATABASE_URL and BENCH_REDIS_URL (or TEST_*)')
    return
  }
  await buildNodeBundle()
  let figures: Record<string, number> = {}
  await withFreshDatabaseUrl(databaseUrl, 'bench_connector', async (url) => {
    figures = await measure(url, redisUrl)
  })
  console.info(
    `\nILP connector at concurrency ${concurrency}, PostgreSQL ledger, ${measureMs / 1000} s runs`,
  )
  for (const [name, value] of Object.entries(figures)) {
    console.info(`  ${name.padEnd(48)} ${Math.round(value)}`)
  }
  const before = figures['forwarded + fulfilled packets/s before the fill'] ?? Number.NaN
  const after = figures['forwarded + fulfilled packets/s after the fill'] ?? Number.NaN
  console.info(`  after/before the fill${' '.repeat(27)} ${(after / before).toFixed(2)}`)
}

if (import.meta.url === `file://${process.argv[1]}`) await benchConnector()
