// The embedded authorization server under load, at concurrency 8, against a node running as its
// own process (the `npm start` bundle) with nothing auth-related configured, so it serves GNAP on
// AUTH_PORT and introspection on INTROSPECTION_PORT itself:
//   grant requests/s: non-interactive incoming-payment grants (POST / on AUTH_PORT), each signed
//     afresh with the client wallet address's Ed25519 key (createWalletAddressKey), checked for
//     200 and an access token;
//   introspections/s: POST / on INTROSPECTION_PORT with one issued token and the access a
//     resource server asks about, checked for 200 and active: true.
// On real PostgreSQL + Redis from BENCH_DATABASE_URL / BENCH_REDIS_URL (or the TEST_ ones), and
// embedded (PGlite).

import { createHeaders } from '@interledger/http-signature-utils'
import { measureOnEachStorage, ratePerSecond } from './rates.ts'
import {
  createAsset,
  createWalletAddress,
  registerClientKey,
  type ClientKey,
} from '../test/support/open-payments-e2e.ts'
import { httpCall } from '../test/support/keep-alive-http.ts'
import {
  buildNodeBundle,
  ephemeralPorts,
  spawnNode,
  type Spawned,
} from '../test/support/spawn-node.ts'
import { freePort, retryOnPortClash } from '../test/support/test-auth-server.ts'

const concurrency = 8
const warmupMs = 1_000
const measureMs = Number(process.env['BENCH_AUTH_MS'] || 10_000)

const rateOptions = { concurrency, warmupMs, measureMs }
const rate = (once: () => Promise<void>) => ratePerSecond(rateOptions, once)

type AuthNode = {
  readonly node: Spawned
  readonly adminUrl: string
  readonly opUrl: string
  /** AUTH_SERVER_URL, on AUTH_PORT. */
  readonly authUrl: string
  readonly introspectionUrl: string
}

// The node derives its GNAP URIs (AUTH_SERVER_URL) and the wallet addresses' authServer from
// these ports, so they are chosen before it starts; port 0 would be unknown to those URLs.
async function bootAuthNode(env: Record<string, string>): Promise<AuthNode> {
  return retryOnPortClash(async () => {
    const [opPort, authPort, introspectionPort, interactionPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ]
    const opUrl = `http://127.0.0.1:${opPort}`
    const authUrl = `http://127.0.0.1:${authPort}`
    const node = await spawnNode(
      'node',
      {
        ...ephemeralPorts,
        OPEN_PAYMENTS_PORT: String(opPort),
        OPEN_PAYMENTS_URL: opUrl,
        AUTH_PORT: String(authPort),
        INTROSPECTION_PORT: String(introspectionPort),
        INTERACTION_PORT: String(interactionPort),
        AUTH_SERVER_URL: authUrl,
        LOG_LEVEL: 'info',
        ...env,
      },
      60_000,
      // e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the node.
      (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
    )
    return {
      node,
      adminUrl: `http://127.0.0.1:${node.ports.admin}`,
      opUrl,
      authUrl,
      introspectionUrl: `http://127.0.0.1:${introspectionPort}`,
    }
  })
}

type GrantReply = { readonly access_token?: { readonly value?: unknown } }

/** POST / on AUTH_PORT, signed now; the new token's value. */
async function requestGrant(authUrl: string, body: string, key: ClientKey): Promise<string> {
  const url = `${authUrl}/`
  const headers = { accept: 'application/json' }
  const signed = await createHeaders({
    request: { method: 'POST', url, headers, body } as never,
    privateKey: key.privateKey,
    keyId: key.keyId,
  })
  const reply = await httpCall('POST', url, { ...headers, ...signed }, Buffer.from(body))
  const text = reply.body.toString()
  if (reply.status !== 200) throw new Error(`grant request: HTTP ${reply.status} ${text}`)
  const value = (JSON.parse(text) as GrantReply).access_token?.value
  if (typeof value !== 'string') throw new Error(`grant request: no access token in ${text}`)
  return value
}

async function introspect(url: string, body: Buffer): Promise<void> {
  const headers = { 'content-type': 'application/json', accept: 'application/json' }
  const reply = await httpCall('POST', `${url}/`, headers, body)
  const text = reply.body.toString()
  if (reply.status !== 200) throw new Error(`introspection: HTTP ${reply.status} ${text}`)
  if ((JSON.parse(text) as { active?: unknown }).active !== true) {
    throw new Error(`introspection: token not active: ${text}`)
  }
}

async function measure(env: Record<string, string>): Promise<Record<string, number>> {
  const auth = await bootAuthNode(env)
  try {
    const assetId = await createAsset(auth.adminUrl, 'USD')
    const aliceUrl = `${auth.opUrl}/alice`
    await createWalletAddress(auth.adminUrl, assetId, aliceUrl)
    const clientUrl = `${auth.opUrl}/app`
    const key = await registerClientKey(
      auth.adminUrl,
      await createWalletAddress(auth.adminUrl, assetId, clientUrl),
    )
    const access = [{ type: 'incoming-payment', actions: ['create', 'read'], identifier: aliceUrl }]
    // JSON.stringify output as is: createHeaders digests JSON.stringify(JSON.parse(body)).
    const grantBody = JSON.stringify({ access_token: { access }, client: clientUrl })
    const token = await requestGrant(auth.authUrl, grantBody, key)
    const introspectionBody = Buffer.from(
      JSON.stringify({
        access_token: token,
        access: [{ type: 'incoming-payment', actions: ['read'], identifier: aliceUrl }],
      }),
    )
    return {
      'grant requests/s (non-interactive, signed)': await rate(async () => {
        await requestGrant(auth.authUrl, grantBody, key)
      }),
      'introspections/s': await rate(() => introspect(auth.introspectionUrl, introspectionBody)),
    }
  } catch (error) {
    // The node's own log says why a request was refused.
    console.error(auth.node.output().slice(-4_000))
    throw error
  } finally {
    await auth.node.stop('SIGTERM')
  }
}

export async function benchAuth(): Promise<void> {
  await buildNodeBundle()
  await measureOnEachStorage(
    'bench_auth',
    `Embedded authorization server at concurrency ${concurrency} (${measureMs / 1000} s runs)`,
    measure,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAuth()
