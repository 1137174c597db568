import { createHash, randomBytes } from 'node:crypto'
import { isFulfill } from 'ilp-packet'
import { createConnection } from 'ilp-protocol-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql } from '../support/graphql-client.ts'
import { createPeer, httpPlugin, peerLiquidity, prepareBytes, sendIlp } from '../support/ilp-e2e.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
} from '../support/open-payments-e2e.ts'
import { freePort, retryOnPortClash } from '../support/test-auth-server.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'

type TestNode = Node & { readonly adminUrl: string }

type PeerView = {
  id: string
  staticIlpAddress: string
  name: string | null
  maxPacketAmount: string | null
  liquidityThreshold: string | null
  liquidity: string
  incomingTokens: string[]
  http: { outgoing: { endpoint: string; authToken: string } }
}

const peerFields = `id staticIlpAddress name maxPacketAmount liquidityThreshold liquidity
  incomingTokens http { outgoing { endpoint authToken } }`

const peerByUrl = `mutation ($input: CreateOrUpdatePeerByUrlInput!) {
  createOrUpdatePeerByUrl(input: $input) { peer { ${peerFields} } } }`

/** Env of a node whose ILP_CONNECTOR_URL names the connector port it will really listen on. */
async function autoPeeringEnv(name: string): Promise<Record<string, string>> {
  const connectorPort = await freePort()
  return {
    ENABLE_AUTO_PEERING: 'true',
    AUTO_PEERING_SERVER_PORT: '0',
    CONNECTOR_PORT: String(connectorPort),
    ILP_CONNECTOR_URL: `http://127.0.0.1:${connectorPort}/`,
    ILP_ADDRESS: `test.${name}`,
    INSTANCE_NAME: `Node ${name.toUpperCase()}`,
  }
}

async function peerAt(node: TestNode, staticIlpAddress: string, assetId: string) {
  const reply = await gql(
    node.adminUrl,
    `query ($a: String!, $id: String!) { peerByAddressAndAsset(staticIlpAddress: $a, assetId: $id) { ${peerFields} } }`,
    { a: staticIlpAddress, id: assetId },
  )
  return reply.data?.['peerByAddressAndAsset'] as PeerView | null
}

/** IL-DCP through `node`'s connector: the address the node gives the peer holding `token`. */
async function ildcp(node: TestNode, token: string): Promise<string | number> {
  const { status, reply } = await sendIlp(
    `http://127.0.0.1:${node.ports.connector}/`,
    token,
    prepareBytes({
      destination: 'peer.config',
      amount: '0',
      executionCondition: createHash('sha256').update(Buffer.alloc(32)).digest(),
    }),
  )
  if (!reply || !isFulfill(reply)) return status
  return reply.data.subarray(1, 1 + (reply.data[0] ?? 0)).toString()
}

describe.each(testNodeTargets('auto-peering e2e'))('auto-peering ($name)', ({ env }) => {
  let a: TestNode
  let b: Awaited<ReturnType<typeof bootOpenPaymentsNode>>
  let assetA: string
  let assetB: string
  let peerUrl: string
  let bAtA: PeerView
  const code = `P${crypto.randomUUID().slice(0, 5)}`.toUpperCase()

  beforeAll(async () => {
    a = await retryOnPortClash(async () => bootTestNode({ ...env, ...(await autoPeeringEnv('a')) }))
    b = await retryOnPortClash(async () =>
      bootOpenPaymentsNode({
        ...env,
        ...(await autoPeeringEnv('b')),
        STREAM_SECRET: randomBytes(32).toString('base64'),
      }),
    )
    assetA = await createAsset(a.adminUrl, code)
    assetB = await createAsset(b.adminUrl, code)
    expect(b.ports.autoPeering).toBeGreaterThan(0)
    peerUrl = `http://127.0.0.1:${b.ports.autoPeering}/`
  })
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
  })

  it("peers A with B through B's auto-peering server, both ways with crossed tokens", async () => {
    const reply = await gql(a.adminUrl, peerByUrl, {
      input: {
        assetId: assetA,
        peerUrl,
        maxPacketAmount: '1000',
        liquidityThreshold: '10',
        liquidityToDeposit: '5000',
        idempotencyKey: crypto.randomUUID(),
      },
    })
    const peer = (reply.data?.['createOrUpdatePeerByUrl'] as { peer: PeerView } | undefined)?.peer
    expect(peer, JSON.stringify(reply)).toBeDefined()
    bAtA = peer as PeerView
    const aAtB = await peerAt(b, 'test.a', assetB)
    expect(bAtA).toMatchObject({
      staticIlpAddress: 'test.b',
      name: 'Node B',
      maxPacketAmount: '1000',
      liquidityThreshold: '10',
      liquidity: '5000',
      incomingTokens: [aAtB?.http.outgoing.authToken],
      http: { outgoing: { endpoint: `http://127.0.0.1:${b.ports.connector}/` } },
    })
    expect(aAtB).toMatchObject({
      name: 'Node A',
      maxPacketAmount: '1000',
      liquidity: String(Number.MAX_SAFE_INTEGER),
      incomingTokens: [bAtA.http.outgoing.authToken],
      http: { outgoing: { endpoint: `http://127.0.0.1:${a.ports.connector}/` } },
    })
  })

  it('answers IL-DCP on both connectors with the exchanged tokens', async () => {
    const aAtB = await peerAt(b, 'test.a', assetB)
    expect(await ildcp(b, bAtA.http.outgoing.authToken)).toBe('test.a')
    expect(await ildcp(a, aAtB?.http.outgoing.authToken ?? '')).toBe('test.b')
  })

  it('carries a STREAM payment from a peer of A to a wallet address at B', async () => {
    const aliceToken = `alice-${crypto.randomUUID()}`
    const aliceId = await createPeer(a.adminUrl, {
      assetId: assetA,
      staticIlpAddress: 'test.alice',
      incomingToken: aliceToken,
      outgoing: { endpoint: 'http://127.0.0.1:9/unused', authToken: 'unused' },
      initialLiquidity: '10000',
    })
    const walletUrl = `${b.opUrl}/bob-${crypto.randomUUID()}`
    const walletId = await createWalletAddress(b.adminUrl, assetB, walletUrl)
    const spsp = (await (
      await fetch(walletUrl, { headers: { accept: 'application/spsp4+json' } })
    ).json()) as { destination_account: string; shared_secret: string }
    expect(spsp.destination_account.startsWith('test.b.')).toBe(true)
    const aAtB = await peerAt(b, 'test.a', assetB)
    const connection = await createConnection({
      plugin: httpPlugin(`http://127.0.0.1:${a.ports.connector}/`, aliceToken),
      destinationAccount: spsp.destination_account,
      sharedSecret: Buffer.from(spsp.shared_secret, 'base64'),
    })
    await connection.createStream().sendTotal(300)
    await connection.end()
    const wallet = await gql(
      b.adminUrl,
      `query ($id: String!) { walletAddress(id: $id) { liquidity } }`,
      {
        id: walletId,
      },
    )
    expect(wallet.data).toEqual({ walletAddress: { liquidity: '300' } })
    expect(await peerLiquidity(a.adminUrl, aliceId)).toBe(10_000n - 300n)
    expect(await peerLiquidity(a.adminUrl, bAtA.id)).toBe(5_000n + 300n)
    expect(await peerLiquidity(b.adminUrl, aAtB?.id ?? '')).toBe(
      BigInt(Number.MAX_SAFE_INTEGER) - 300n,
    )
  })

  it('rotates the tokens on both sides when run again, keeping both peers', async () => {
    const oldAAtB = await peerAt(b, 'test.a', assetB)
    const reply = await gql(a.adminUrl, peerByUrl, { input: { assetId: assetA, peerUrl } })
    const again = (reply.data?.['createOrUpdatePeerByUrl'] as { peer: PeerView }).peer
    const aAtB = await peerAt(b, 'test.a', assetB)
    expect(again.id).toBe(bAtA.id)
    expect(aAtB?.id).toBe(oldAAtB?.id)
    expect(again.http.outgoing.authToken).not.toBe(bAtA.http.outgoing.authToken)
    expect(again.incomingTokens).toEqual([aAtB?.http.outgoing.authToken])
    expect(aAtB?.incomingTokens).toEqual([again.http.outgoing.authToken])
    expect(again.maxPacketAmount).toBe('1000')
    expect(await ildcp(b, bAtA.http.outgoing.authToken)).toBe(401)
    expect(await ildcp(b, again.http.outgoing.authToken)).toBe('test.a')
    expect(await ildcp(a, aAtB?.http.outgoing.authToken ?? '')).toBe('test.b')
  })

  it('maps failures to the codes Rafiki uses', async () => {
    const closed = await freePort()
    const unreachable = await gql(a.adminUrl, peerByUrl, {
      input: { assetId: assetA, peerUrl: `http://127.0.0.1:${closed}/` },
    })
    expect(errorCode(unreachable)).toBe('NOT_FOUND')
    const otherAsset = await createAsset(a.adminUrl, `${code}X`)
    const unsupported = await gql(a.adminUrl, peerByUrl, {
      input: { assetId: otherAsset, peerUrl },
    })
    expect(errorCode(unsupported)).toBe('BAD_USER_INPUT')
    expect(unsupported.errors?.[0]?.message).toBe('Peer does not support asset')
    const unknown = await gql(a.adminUrl, peerByUrl, {
      input: { assetId: crypto.randomUUID(), peerUrl },
    })
    expect(errorCode(unknown)).toBe('NOT_FOUND')
  })

  it('answers bad peering requests with 4xx and the error body', async () => {
    const post = async (body: string) => {
      const response = await fetch(peerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      return { status: response.status, json: (await response.json()) as unknown }
    }
    expect(await post('nope')).toMatchObject({
      status: 400,
      json: { error: { code: 400, type: 'InvalidPeeringRequest' } },
    })
    const request = {
      staticIlpAddress: 'test.c',
      ilpConnectorUrl: 'http://127.0.0.1:9/',
      asset: { code: 'NONE', scale: 2 },
      httpToken: crypto.randomUUID(),
    }
    expect(await post(JSON.stringify(request))).toMatchObject({
      status: 404,
      json: { error: { code: 404, type: 'UnknownAsset' } },
    })
    expect(
      await post(JSON.stringify({ ...request, asset: { code, scale: 2 }, staticIlpAddress: 'c' })),
    ).toMatchObject({ status: 400, json: { error: { type: 'InvalidPeerIlpConfiguration' } } })
  })
})

describe('auto-peering disabled', () => {
  it('serves no auto-peering port', async () => {
    const node = await bootTestNode({ DATABASE_URL: 'pglite://memory' })
    try {
      expect(node.ports.autoPeering).toBeUndefined()
    } finally {
      await node.stop()
    }
  })
})
