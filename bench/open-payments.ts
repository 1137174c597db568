// Open Payments reads per second at concurrency 8 against a node running as its own process
// (the `npm start` bundle): GET wallet address (public), GET incoming payment (GNAP token
// introspected at a test authorization server, signed request) and its public view. On real
// PostgreSQL + Redis from BENCH_DATABASE_URL / BENCH_REDIS_URL (or the TEST_ ones), and embedded.

import { createHeaders } from '@interledger/http-signature-utils'
import { withFreshDatabaseUrl } from './fresh-database.ts'
import { gql } from '../test/support/graphql-client.ts'
import {
  createAsset,
  createWalletAddress,
  payload,
  registerClientKey,
} from '../test/support/open-payments-e2e.ts'
import { httpCall } from '../test/support/keep-alive-http.ts'
import { buildNodeBundle, ephemeralPorts, spawnNode } from '../test/support/spawn-node.ts'
import { freePort, startTestAuthServer } from '../test/support/test-auth-server.ts'

const concurrency = 8
const warmupMs = 1_000
const measureMs = 5_000

type Target = {
  readonly name: string
  readonly url: string
  readonly headers: Record<string, string>
}

/** Requests/s of `concurrency` loops GETting the target, each answer checked for 200. */
async function rate(target: Target): Promise<number> {
  const loop = async (untilMs: number) => {
    let count = 0
    while (performance.now() < untilMs) {
      const response = await httpCall('GET', target.url, target.headers)
      if (response.status !== 200) throw new Error(`${target.name}: HTTP ${response.status}`)
      count += 1
    }
    return count
  }
  const run = async (durationMs: number) => {
    const until = performance.now() + durationMs
    const started = performance.now()
    const counts = await Promise.all(Array.from({ length: concurrency }, () => loop(until)))
    return counts.reduce((a, b) => a + b, 0) / ((performance.now() - started) / 1000)
  }
  await run(warmupMs)
  return run(measureMs)
}

async function measure(env: Record<string, string>): Promise<Record<string, number>> {
  const auth = await startTestAuthServer()
  const port = await freePort()
  const opUrl = `http://127.0.0.1:${port}`
  const node = await spawnNode('node', {
    ...ephemeralPorts,
    OPEN_PAYMENTS_PORT: String(port),
    OPEN_PAYMENTS_URL: opUrl,
    AUTH_SERVER_GRANT_URL: auth.grantUrl,
    AUTH_SERVER_INTROSPECTION_URL: auth.introspectionUrl,
    LOG_LEVEL: 'info',
    ...env,
  })
  try {
    const adminUrl = `http://127.0.0.1:${node.ports.admin}`
    const assetId = await createAsset(adminUrl, 'USD')
    const aliceUrl = `${opUrl}/alice`
    const aliceId = await createWalletAddress(adminUrl, assetId, aliceUrl)
    const clientUrl = `${opUrl}/app`
    const key = await registerClientKey(
      adminUrl,
      await createWalletAddress(adminUrl, assetId, clientUrl),
    )
    const created = await gql(
      adminUrl,
      `mutation ($input: CreateIncomingPaymentInput!) { createIncomingPayment(input: $input) { payment { id } } }`,
      { input: { walletAddressId: aliceId } },
    )
    const paymentUrl = `${opUrl}/incoming-payments/${payload<{ id: string }>(created, 'createIncomingPayment', 'payment').id}`
    const accessToken = auth.issue('bench-token', {
      client: clientUrl,
      access: [{ type: 'incoming-payment', actions: ['read-all'], identifier: aliceUrl }],
    })
    // One signature serves the whole run: it stays within the node's 300 s signature age.
    const headers = { accept: 'application/json', authorization: `GNAP ${accessToken}` }
    const signed = await createHeaders({
      request: { method: 'GET', url: paymentUrl, headers } as never,
      privateKey: key.privateKey,
      keyId: key.keyId,
    })
    return {
      'GET /healthz (no storage)': await rate({
        name: 'healthz',
        url: `${opUrl}/healthz`,
        headers: {},
      }),
      'GET wallet address': await rate({
        name: 'wallet address',
        url: aliceUrl,
        headers: { accept: 'application/json' },
      }),
      'GET incoming payment (authenticated)': await rate({
        name: 'incoming payment',
        url: paymentUrl,
        headers: { ...headers, ...signed },
      }),
      'GET incoming payment (public view)': await rate({
        name: 'public incoming payment',
        url: paymentUrl,
        headers: { accept: 'application/json' },
      }),
    }
  } finally {
    await node.stop('SIGTERM')
    await auth.close()
  }
}

export async function benchOpenPayments(): Promise<void> {
  await buildNodeBundle()
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL']
  const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL']
  const rows: [string, Record<string, number>][] = []
  if (databaseUrl && redisUrl) {
    await withFreshDatabaseUrl(databaseUrl, 'bench_op', async (url) => {
      rows.push([
        'PostgreSQL + Redis',
        await measure({ DATABASE_URL: url, REDIS_URL: redisUrl, USE_TIGERBEETLE: 'false' }),
      ])
    })
  } else {
    console.info('Set BENCH_DATABASE_URL and BENCH_REDIS_URL (or TEST_*) for the real-services row')
  }
  rows.push(['PGlite (embedded)', await measure({ DATABASE_URL: 'pglite://memory' })])
  console.info(`\nOpen Payments reads/s at concurrency ${concurrency} (${measureMs / 1000} s runs)`)
  console.table(
    Object.fromEntries(
      rows.map(([name, rates]) => [
        name,
        Object.fromEntries(Object.entries(rates).map(([k, r]) => [k, Math.round(r)])),
      ]),
    ),
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOpenPayments()
