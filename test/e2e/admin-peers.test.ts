import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql, type GraphqlReply } from '../support/graphql-client.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'
import { startWebhookReceiver } from '../support/webhook-receiver.ts'

const peerFields = `id name staticIlpAddress maxPacketAmount liquidityThreshold liquidity
  incomingTokens createdAt http { outgoing { authToken endpoint } } asset { id code scale }`
const createPeer = `mutation ($input: CreatePeerInput!) {
  createPeer(input: $input) { peer { ${peerFields} } } }`
const updatePeer = `mutation ($input: UpdatePeerInput!) {
  updatePeer(input: $input) { peer { ${peerFields} } } }`
const deletePeer = `mutation ($input: DeletePeerInput!) { deletePeer(input: $input) { success } }`
const readPeer = `query ($id: String!) { peer(id: $id) { ${peerFields} } }`
const byAddress = `query ($staticIlpAddress: String!, $assetId: String!) {
  peerByAddressAndAsset(staticIlpAddress: $staticIlpAddress, assetId: $assetId) { id } }`
const listPeers = `query ($first: Int, $after: String) { peers(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } edges { cursor node { id staticIlpAddress } } } }`
const deposit = `mutation ($input: DepositPeerLiquidityInput!) {
  depositPeerLiquidity(input: $input) { success } }`
const withdraw = `mutation ($input: CreatePeerLiquidityWithdrawalInput!) {
  createPeerLiquidityWithdrawal(input: $input) { success } }`
const voidIt = `mutation ($input: VoidLiquidityWithdrawalInput!) {
  voidLiquidityWithdrawal(input: $input) { success } }`

const uuid = () => crypto.randomUUID()
const key = () => ({ idempotencyKey: uuid() })

const field = <T>(reply: GraphqlReply, name: string, key?: string): T => {
  const value = reply.data?.[name] as Record<string, unknown> | null | undefined
  const picked = key === undefined ? value : value?.[key]
  if (picked === undefined || picked === null) throw new Error(JSON.stringify(reply))
  return picked as T
}

type PeerView = Record<string, unknown> & { id: string; liquidity: string }

describe.each(testNodeTargets('admin-peers e2e'))(
  'peers through the admin API ($name)',
  ({ env }) => {
    let node: Node & { adminUrl: string }
    let url: string
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
    let assetId: string
    const code = `P${uuid().slice(0, 6)}`.toUpperCase()
    const outgoing = { authToken: 'token-for-them', endpoint: 'http://127.0.0.1:9/ilp' }
    const input = {
      assetId: '',
      staticIlpAddress: 'test.e2e.peer',
      name: 'Peer',
      maxPacketAmount: '1000',
      liquidityThreshold: '100',
      initialLiquidity: '50',
      http: { incoming: { authTokens: ['token-from-them'] }, outgoing },
    }
    const liquidity = async (id: string) =>
      field<PeerView>(await gql(url, readPeer, { id }), 'peer').liquidity

    beforeAll(async () => {
      receiver = await startWebhookReceiver()
      node = await bootTestNode({ ...env, WEBHOOK_URL: receiver.url })
      url = node.adminUrl
      const asset = await gql(
        url,
        `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id } } }`,
        { input: { code, scale: 2 } },
      )
      assetId = field<{ id: string }>(asset, 'createAsset', 'asset').id
      input.assetId = assetId
    })
    afterAll(async () => {
      await node?.stop()
      await receiver?.close()
    })

    it('creates, reads, finds, lists, updates and deletes a peer', async () => {
      const created = field<PeerView>(await gql(url, createPeer, { input }), 'createPeer', 'peer')
      expect(created).toMatchObject({
        name: 'Peer',
        staticIlpAddress: 'test.e2e.peer',
        maxPacketAmount: '1000',
        liquidityThreshold: '100',
        liquidity: '50',
        incomingTokens: ['token-from-them'],
        http: { outgoing },
        asset: { id: assetId, code, scale: 2 },
      })
      expect(field(await gql(url, readPeer, { id: created.id }), 'peer')).toEqual(created)
      const found = await gql(url, byAddress, { staticIlpAddress: 'test.e2e.peer', assetId })
      expect(found.data?.['peerByAddressAndAsset']).toEqual({ id: created.id })
      const missing = await gql(url, byAddress, { staticIlpAddress: 'test.e2e.none', assetId })
      expect(missing.data).toEqual({ peerByAddressAndAsset: null })
      const page = field<{ edges: { node: { id: string } }[] }>(
        await gql(url, listPeers, { first: 100 }),
        'peers',
      )
      expect(page.edges.map((edge) => edge.node.id)).toContain(created.id)

      const updated = await gql(url, updatePeer, {
        input: {
          id: created.id,
          name: null,
          maxPacketAmount: '2000',
          http: { incoming: { authTokens: ['rotated-token'] }, outgoing },
        },
      })
      expect(field(updated, 'updatePeer', 'peer')).toMatchObject({
        name: null,
        maxPacketAmount: '2000',
        liquidityThreshold: '100',
        incomingTokens: ['rotated-token'],
      })

      const inUse = await gql(
        url,
        `mutation ($input: DeleteAssetInput!) { deleteAsset(input: $input) { asset { id } } }`,
        { input: { id: assetId } },
      )
      expect(errorCode(inUse)).toBe('FORBIDDEN')
      expect((await gql(url, deletePeer, { input: { id: created.id } })).data).toEqual({
        deletePeer: { success: true },
      })
      expect(errorCode(await gql(url, readPeer, { id: created.id }))).toBe('NOT_FOUND')
      expect(errorCode(await gql(url, deletePeer, { input: { id: created.id } }))).toBe('NOT_FOUND')
    })

    it('refuses duplicates and bad input with specific errors', async () => {
      const first = await gql(url, createPeer, {
        input: {
          ...input,
          staticIlpAddress: 'test.e2e.dup',
          http: { incoming: { authTokens: ['dup-token'] }, outgoing },
        },
      })
      field(first, 'createPeer', 'peer')
      const cases: [Record<string, unknown>, string][] = [
        [
          {
            staticIlpAddress: 'test.e2e.other',
            http: { incoming: { authTokens: ['dup-token'] }, outgoing },
          },
          'DUPLICATE',
        ],
        [{ staticIlpAddress: 'test.e2e.dup', http: { outgoing } }, 'DUPLICATE'],
        [{ staticIlpAddress: 'not an ilp address' }, 'BAD_USER_INPUT'],
        [{ http: { outgoing: { ...outgoing, endpoint: 'nope' } } }, 'BAD_USER_INPUT'],
        [{ assetId: uuid() }, 'NOT_FOUND'],
        [{ maxPacketAmount: '-1' }, 'BAD_USER_INPUT'],
      ]
      for (const [override, expected] of cases) {
        const reply = await gql(url, createPeer, {
          input: { ...input, http: { outgoing }, staticIlpAddress: 'test.e2e.bad', ...override },
        })
        expect(reply.status).toBeLessThan(500)
        expect(errorCode(reply), JSON.stringify(reply)).toBe(expected)
      }
      const unknown = await gql(url, updatePeer, { input: { id: uuid(), name: 'x' } })
      expect(errorCode(unknown)).toBe('NOT_FOUND')
      expect(errorCode(await gql(url, readPeer, { id: uuid() }))).toBe('NOT_FOUND')
    })

    it('replays a create under its idempotency key', async () => {
      const once = { ...input, staticIlpAddress: 'test.e2e.once', http: { outgoing }, ...key() }
      const first = field<PeerView>(
        await gql(url, createPeer, { input: once }),
        'createPeer',
        'peer',
      )
      const again = field<PeerView>(
        await gql(url, createPeer, { input: once }),
        'createPeer',
        'peer',
      )
      expect(again.id).toBe(first.id)
    })

    it('deposits and withdraws liquidity, and warns when it runs low', async () => {
      const peer = field<PeerView>(
        await gql(url, createPeer, {
          input: { ...input, staticIlpAddress: 'test.e2e.liquidity', http: { outgoing } },
        }),
        'createPeer',
        'peer',
      )
      const peerId = peer.id
      const depositInput = { peerId, amount: '200', id: uuid() }
      expect((await gql(url, deposit, { input: { ...depositInput, ...key() } })).data).toEqual({
        depositPeerLiquidity: { success: true },
      })
      expect(await liquidity(peerId)).toBe('250')
      const reused = await gql(url, deposit, { input: { ...depositInput, amount: '5', ...key() } })
      expect(errorCode(reused)).toBe('DUPLICATE')
      const pendingId = uuid()
      const hold = { peerId, amount: '100', id: pendingId, timeoutSeconds: 60, ...key() }
      expect((await gql(url, withdraw, { input: hold })).data).toEqual({
        createPeerLiquidityWithdrawal: { success: true },
      })
      expect(await liquidity(peerId)).toBe('150')
      await gql(url, voidIt, { input: { withdrawalId: pendingId, ...key() } })
      expect(await liquidity(peerId)).toBe('250')
      const atOnce = { peerId, amount: '160', id: uuid(), timeoutSeconds: 0, ...key() }
      expect((await gql(url, withdraw, { input: atOnce })).data).toEqual({
        createPeerLiquidityWithdrawal: { success: true },
      })
      expect(await liquidity(peerId)).toBe('90')
      const tooMuch = { peerId, amount: '91', id: uuid(), timeoutSeconds: 0, ...key() }
      expect(errorCode(await gql(url, withdraw, { input: tooMuch }))).toBe('FORBIDDEN')
      const unknownPeer = { ...tooMuch, peerId: uuid(), ...key() }
      expect(errorCode(await gql(url, withdraw, { input: unknownPeer }))).toBe('NOT_FOUND')
      const deadline = Date.now() + 10_000
      const low = () =>
        receiver.received.find(
          (w) => w.body.type === 'peer.liquidity_low' && w.body.data['id'] === peerId,
        )
      while (!low() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(low()?.body.data).toEqual({
        id: peerId,
        asset: { id: assetId, code, scale: 2 },
        liquidityThreshold: '100',
        balance: '90',
      })
    })
  },
)
