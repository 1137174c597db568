// Open Payments reads per second at concurrency 8 against a node running as its own process
// (the `npm start` bundle): GET wallet address (public), GET incoming payment (GNAP token
// introspected at a test authorization server, signed request) and its public view. On real
// PostgreSQL + Redis from BENCH_DATABASE_URL / BENCH_REDIS_URL (or the TEST_ ones), and embedded.

import { createHeaders } from '@interledger/http-signature-utils'
import { measureOnEachStorage, ratePerSecond } from './rates.ts'
import { gql } from '../test/support/graphql-client.ts'
import {
  createAsset,
  createWalletAddress,
  payload,
  registerClientKey,
} from '../test/support/open-payments-e2e.ts'
import { makeHttp1Client, type Http1Client } from '../adapters/http/http1-client.ts'
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
const rateOf = (client: Http1Client) => (target: Target) => {
  const url = new URL(target.url)
  return ratePerSecond({ concurrency, warmupMs, measureMs }, async () => {
    const response = await client.get(url, target.headers, 30_000)
    const status = response.ok ? response.value.status : response.error
    if (status !== 200) throw new Error(`${target.name}: ${status}`)
  })
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
  // The load generator shares the machine's two cores with the node: it speaks HTTP/1.1 with the
  // node's own small client, as node:http would take a third of them.
  const client = makeHttp1Client({ socketsPerOriginMax: concurrency, replyBytesMax: 1024 * 1024 })
  const rate = rateOf(client)
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
    client.close()
    await node.stop('SIGTERM')
    await auth.close()
  }
}

export async function benchOpenPayments(): Promise<void> {
  await buildNodeBundle()
  await measureOnEachStorage(
    'bench_op',
    `Open Payments reads/s at concurrency ${concurrency} (${measureMs / 1000} s runs)`,
    measure,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOpenPayments()
