// The authorization server alone (`npm run start:auth`) as a real process, with a node whose
// resource server uses it over HTTP (AUTH_SERVER_GRANT_URL, AUTH_SERVER_INTROSPECTION_URL), as
// an operator who deploys Rafiki's auth service apart would run them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isFinalizedGrant, type Grant, type PendingGrant } from '@interledger/open-payments'
import { bootAuthServer } from '../../runtimes/auth-boot.ts'
import type { Node } from '../../runtimes/boot.ts'
import { serveOnNode } from '../../runtimes/node-serve.ts'
import { openTestPostgres, type TestPostgres } from '../support/databases.ts'
import { newClient, type TestClient } from '../support/embedded-auth-e2e.ts'
import { errorCode, gql } from '../support/graphql-client.ts'
import { createAsset, createWalletAddress, sendRaw } from '../support/open-payments-e2e.ts'
import {
  buildNodeBundle,
  spawnAuthServer,
  type AuthServerPorts,
  type Spawned,
} from '../support/spawn-node.ts'
import { freePort, retryOnPortClash } from '../support/test-auth-server.ts'
import { bootTestNode } from '../support/test-node.ts'

const adminSecret = 'auth-admin-test-secret'
const testRedisUrl = process.env['TEST_REDIS_URL'] || undefined

type BackendNode = Node & { readonly adminUrl: string; readonly opUrl: string }

const grantToken = (grant: Grant | PendingGrant) => {
  if (!isFinalizedGrant(grant) || !grant.access_token) {
    throw new Error(`no token: ${JSON.stringify(grant)}`)
  }
  return grant.access_token
}

describe('npm run start:auth: the authorization server alone, used by a node over HTTP', () => {
  let database: TestPostgres | undefined
  let authServer: Spawned<AuthServerPorts> | undefined
  let node: BackendNode | undefined
  let authUrl: string
  let authAdminUrl: string
  let app: TestClient
  let assetId: string

  beforeAll(async () => {
    await buildNodeBundle()
    // A fresh database on real PostgreSQL when there is one, else a throwaway PGlite.
    database = await openTestPostgres({ migrate: false })
    authServer = await spawnAuthServer({
      AUTH_PORT: '0',
      INTROSPECTION_PORT: '0',
      INTERACTION_PORT: '0',
      AUTH_ADMIN_PORT: '0',
      BIND_ADDRESS: '127.0.0.1',
      AUTH_DATABASE_URL: database?.url ?? 'pglite://memory',
      ...(testRedisUrl && { REDIS_URL: testRedisUrl }),
      ADMIN_API_SECRET: adminSecret,
      LOG_LEVEL: 'info',
    })
    const { ports } = authServer
    authUrl = `http://localhost:${ports.auth}`
    authAdminUrl = `http://127.0.0.1:${ports.admin}`
    node = await retryOnPortClash(async () => {
      const port = await freePort()
      const opUrl = `http://127.0.0.1:${port}`
      const booted = await bootTestNode({
        DATABASE_URL: 'pglite://memory',
        OPEN_PAYMENTS_PORT: String(port),
        OPEN_PAYMENTS_URL: opUrl,
        AUTH_SERVER_GRANT_URL: authUrl,
        AUTH_SERVER_INTROSPECTION_URL: `http://localhost:${ports.introspection}`,
      })
      return { ...booted, opUrl }
    })
    assetId = await createAsset(node.adminUrl, 'USD')
    app = await newClient(node, assetId)
  }, 120_000)

  afterAll(async () => {
    await node?.stop()
    if (authServer) expect(await authServer.stop('SIGTERM'), authServer.output()).toBe(0)
    await database?.close()
  })

  const newWallet = async (name: string) => {
    const url = `${node?.opUrl}/${name}-${crypto.randomUUID()}`
    await createWalletAddress(node?.adminUrl ?? '', assetId, url)
    return url
  }
  const incomingAccess = {
    access_token: {
      access: [
        { type: 'incoming-payment' as const, actions: ['create' as const, 'read' as const] },
      ],
    },
  }
  /** A non-interactive grant, to the client's wallet address or, given a key, to that key. */
  const incomingGrant = async (jwk?: Record<string, string>) =>
    grantToken(
      jwk
        ? await app.op.grant.request({ url: authUrl }, incomingAccess, { jwk: jwk as never })
        : await app.op.grant.request({ url: authUrl }, incomingAccess),
    )
  const createIncoming = (accessToken: string, walletAddress: string) =>
    sendRaw({
      method: 'POST',
      url: `${node?.opUrl}/incoming-payments`,
      accessToken,
      body: JSON.stringify({ walletAddress }),
      key: app.key,
    })

  it('serves GNAP at AUTH_SERVER_URL, which names the port bound for AUTH_PORT=0', async () => {
    const ready = authServer
      ?.output()
      .split('\n')
      .find((line) => line.includes('"msg":"ready"'))
    expect(JSON.parse(ready ?? '{}')).toMatchObject({
      authServer: authUrl,
      database: database ? 'postgres' : 'pglite',
      cache: testRedisUrl ? 'redis' : 'memory',
      workers: 1,
    })
    const wallet = await app.op.walletAddress.get({ url: app.url })
    expect(wallet.authServer).toBe(authUrl)
    const discovery = await fetch(`${authUrl}/discovery`)
    expect(discovery.status).toBe(200)
    expect(await discovery.json()).toMatchObject({ grant_request_endpoint: `${authUrl}/` })
  })

  it('issues a grant the node accepts; revoked at the auth server, the node refuses it', async () => {
    const token = await incomingGrant()
    const bob = await newWallet('bob')
    const created = await app.op.incomingPayment.create(
      { url: node?.opUrl ?? '', accessToken: token.value },
      { walletAddress: bob, incomingAmount: { value: '500', assetCode: 'USD', assetScale: 2 } },
    )
    expect(created).toMatchObject({ walletAddress: bob, incomingAmount: { value: '500' } })

    await app.op.token.revoke({ url: token.manage, accessToken: token.value })
    expect((await createIncoming(token.value, bob)).status).toBe(401)
  })

  it('lists the grants in its admin GraphQL, signed with ADMIN_API_SECRET', async () => {
    const token = await incomingGrant()
    const introspected = await fetch(`http://localhost:${authServer?.ports.introspection}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: token.value }),
    })
    const { grant } = (await introspected.json()) as { grant: string }
    const query = `query { grants(first: 100) { edges { node { id state } } } }`
    const unsigned = await gql(authAdminUrl, query)
    expect(unsigned.status).toBe(401)
    expect(errorCode(unsigned)).toBe('UNAUTHENTICATED')
    const reply = await gql(authAdminUrl, query, {}, { apiSecret: adminSecret })
    expect(reply.errors).toBeUndefined()
    const edges = (reply.data?.['grants'] as { edges: { node: { id: string; state: string } }[] })
      .edges
    expect(edges).toContainEqual({ node: { id: grant, state: 'FINALIZED' } })
    expect(edges.length).toBeGreaterThanOrEqual(2)
  })

  it('revokes a grant from its admin GraphQL: the node refuses its token', async () => {
    const token = await incomingGrant()
    const bob = await newWallet('bob')
    expect((await createIncoming(token.value, bob)).status).toBe(201)
    const introspected = await fetch(`http://localhost:${authServer?.ports.introspection}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: token.value }),
    })
    const { grant } = (await introspected.json()) as { grant: string }
    const revoke = `mutation ($input: RevokeGrantInput!) { revokeGrant(input: $input) { id } }`
    const reply = await gql(
      authAdminUrl,
      revoke,
      { input: { grantId: grant } },
      { apiSecret: adminSecret },
    )
    expect(reply.data?.['revokeGrant']).toEqual({ id: grant })
    expect((await createIncoming(token.value, bob)).status).toBe(401)
  })

  it('issues to a directed-identity client; the node verifies it by the introspected jwk', async () => {
    const { x } = app.key.privateKey.export({ format: 'jwk' })
    const jwk = { kid: app.key.keyId, x: x ?? '', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' }
    const token = await incomingGrant(jwk)
    const bob = await newWallet('bob')
    const created = await app.op.incomingPayment.create(
      { url: node?.opUrl ?? '', accessToken: token.value },
      { walletAddress: bob },
    )
    expect(created.walletAddress).toBe(bob)
  })
})

describe('npm run start:auth: configuration', () => {
  const ports = {
    AUTH_PORT: '0',
    INTROSPECTION_PORT: '0',
    INTERACTION_PORT: '0',
    AUTH_ADMIN_PORT: '0',
    BIND_ADDRESS: '127.0.0.1',
    LOG_LEVEL: 'silent',
  }

  it('in production, asks for what the auth server needs, not for the node’s variables', async () => {
    const boot = bootAuthServer(
      {
        ...ports,
        NODE_ENV: 'production',
        AUTH_DATABASE_URL: 'pglite://memory',
        // Names an external server to a node; this process is that server.
        AUTH_SERVER_GRANT_URL: 'https://auth.example',
        AUTH_SERVER_INTROSPECTION_URL: 'https://auth.example:3007',
      },
      serveOnNode,
    )
    const message = await boot.then(
      () => '',
      (error: unknown) => String(error),
    )
    expect(message).toMatch(/ConfigError/)
    for (const name of ['AUTH_SERVER_URL', 'COOKIE_KEY', 'IDENTITY_SERVER_SECRET']) {
      expect(message).toContain(name)
    }
    for (const name of ['OPEN_PAYMENTS_URL', 'ILP_ADDRESS', 'KEY_ID', 'WEBHOOK_URL']) {
      expect(message).not.toContain(name)
    }
  })

  it('boots in production with an auth service’s environment alone', async () => {
    const server = await bootAuthServer(
      {
        ...ports,
        NODE_ENV: 'production',
        AUTH_DATABASE_URL: 'pglite://memory',
        AUTH_SERVER_URL: 'https://auth.example/',
        COOKIE_KEY: 'cookie-key',
        IDENTITY_SERVER_SECRET: 'idp-secret',
      },
      serveOnNode,
    )
    try {
      const discovery = await fetch(`http://127.0.0.1:${server.ports.auth}/discovery`)
      expect(await discovery.json()).toMatchObject({
        grant_request_endpoint: 'https://auth.example/',
      })
      const health = await fetch(`http://127.0.0.1:${server.ports.admin}/healthz`)
      expect(health.status).toBe(200)
    } finally {
      await server.stop()
    }
  }, 60_000)
})
