import { generateKeyPairSync } from 'node:crypto'
import { createUnauthenticatedClient } from '@interledger/open-payments'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql, type GraphqlReply } from '../support/graphql-client.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'

const walletAddressFields = `id url address publicName status createdAt liquidity
  asset { id code scale }
  additionalProperties { key value visibleInOpenPayments }`
const createWalletAddress = `mutation ($input: CreateWalletAddressInput!) {
  createWalletAddress(input: $input) { walletAddress { ${walletAddressFields} } } }`
const updateWalletAddress = `mutation ($input: UpdateWalletAddressInput!) {
  updateWalletAddress(input: $input) { walletAddress { ${walletAddressFields} } } }`
const byId = `query ($id: String!) { walletAddress(id: $id) { ${walletAddressFields} } }`
const byUrl = `query ($url: String!) { walletAddressByUrl(url: $url) { id url } }`
const list = `query ($first: Int, $last: Int, $after: String, $before: String, $sortOrder: SortOrder) {
  walletAddresses(first: $first, last: $last, after: $after, before: $before, sortOrder: $sortOrder) {
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
    edges { cursor node { id url } } } }`
const keyFields = 'id walletAddressId revoked createdAt jwk { kid x alg kty crv }'
const createKey = `mutation ($input: CreateWalletAddressKeyInput!) {
  createWalletAddressKey(input: $input) { walletAddressKey { ${keyFields} } } }`
const revokeKey = `mutation ($input: RevokeWalletAddressKeyInput!) {
  revokeWalletAddressKey(input: $input) { walletAddressKey { ${keyFields} } } }`
const keysOf = `query ($id: String!, $sortOrder: SortOrder) { walletAddress(id: $id) {
  walletAddressKeys(sortOrder: $sortOrder) { edges { node { id revoked jwk { kid } } } } } }`

type WalletAddress = {
  id: string
  url: string
  address: string
  status: string
  publicName: string | null
  liquidity: string | null
  asset: { id: string; code: string; scale: number }
  additionalProperties: { key: string; value: string; visibleInOpenPayments: boolean }[]
}
type Key = { id: string; revoked: boolean; jwk: Record<string, string> }

const payload = <T>(reply: GraphqlReply, field: string, inner: string): T => {
  const outer = reply.data?.[field] as Record<string, T> | undefined
  const value = outer?.[inner]
  if (value === undefined) throw new Error(`no ${field}.${inner}: ${JSON.stringify(reply)}`)
  return value
}

const newJwk = (kid: string) => {
  const { x } = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
  return { kid, x, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' }
}

const servers = {
  OPEN_PAYMENTS_URL: 'https://op.example',
  AUTH_SERVER_GRANT_URL: 'https://auth.example',
}

describe.each(testNodeTargets('admin-wallet-addresses e2e'))(
  'wallet addresses over HTTP ($name)',
  ({ env }) => {
    let node: Node & { adminUrl: string }
    let url: string
    let assetId: string
    // The host and port the Open Payments port sees, so its public GET finds what we create.
    let base: string
    const unique = () => Math.random().toString(36).slice(2, 10)
    const create = async (input: Record<string, unknown>) =>
      payload<WalletAddress>(
        await gql(url, createWalletAddress, { input: { assetId, ...input } }),
        'createWalletAddress',
        'walletAddress',
      )

    beforeAll(async () => {
      node = await bootTestNode({ ...env, ...servers })
      url = node.adminUrl
      base = `https://127.0.0.1:${node.ports.openPayments}`
      const code = `W${unique()}`.slice(0, 8).toUpperCase()
      const asset = await gql(
        url,
        `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id } } }`,
        { input: { code, scale: 2 } },
      )
      assetId = payload<{ id: string }>(asset, 'createAsset', 'asset').id
    })
    afterAll(async () => {
      await node?.stop()
    })

    it('refuses to delete an asset a wallet address holds', async () => {
      await create({ url: `${base}/holder-${unique()}` })
      const reply = await gql(
        url,
        `mutation ($input: DeleteAssetInput!) { deleteAsset(input: $input) { asset { id } } }`,
        { input: { id: assetId } },
      )
      expect(reply.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
      expect(reply.errors?.[0]?.message).toBe('Cannot delete! Asset in use.')
    })

    it('creates a wallet address and reads it back by id and by url', async () => {
      const path = `Alice-${unique()}`
      const created = await create({
        url: `${base}/accounts/${path}/`,
        publicName: 'Alice',
        additionalProperties: [
          { key: ' nickname ', value: 'Al', visibleInOpenPayments: true },
          { key: 'iban', value: 'NL91', visibleInOpenPayments: false },
        ],
      })
      const canonical = `${base}/accounts/${path.toLowerCase()}`
      expect(created).toMatchObject({
        url: canonical,
        address: canonical,
        publicName: 'Alice',
        status: 'ACTIVE',
        liquidity: null,
        asset: { id: assetId, scale: 2 },
        additionalProperties: [
          { key: 'nickname', value: 'Al', visibleInOpenPayments: true },
          { key: 'iban', value: 'NL91', visibleInOpenPayments: false },
        ],
      })
      expect((await gql(url, byId, { id: created.id })).data?.['walletAddress']).toEqual(created)
      const found = await gql(url, byUrl, { url: canonical.toUpperCase() })
      expect(found.data?.['walletAddressByUrl']).toEqual({ id: created.id, url: canonical })
      expect((await gql(url, byUrl, { url: `${base}/nobody` })).data).toEqual({
        walletAddressByUrl: null,
      })
      expect(errorCode(await gql(url, byId, { id: crypto.randomUUID() }))).toBe('NOT_FOUND')
      expect(errorCode(await gql(url, byId, { id: 'not-a-uuid' }))).toBe('NOT_FOUND')
    })

    it('takes the URL as url (v1.x) or address (2.x), exactly one', async () => {
      const viaAddress = await create({ address: `${base}/${unique()}` })
      expect(viaAddress.status).toBe('ACTIVE')
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [
          { url: `${base}/${unique()}`, address: `${base}/${unique()}` },
          'BAD_USER_INPUT',
          /not both/,
        ],
        [{}, 'BAD_USER_INPUT', /url or address/],
        [{ url: `${base}/incoming-payments` }, 'BAD_USER_INPUT', /Invalid wallet address URL/],
        [{ url: 'http://wallet.example/x', assetId: crypto.randomUUID() }, 'BAD_USER_INPUT', /./],
        [{ url: `${base}/${unique()}`, assetId: crypto.randomUUID() }, 'BAD_USER_INPUT', /asset/],
        [{ url: viaAddress.url.toUpperCase() }, 'DUPLICATE', /Duplicate/],
      ]
      for (const [input, code, message] of cases) {
        const reply = await gql(url, createWalletAddress, { input: { assetId, ...input } })
        expect(reply.status).toBeLessThan(500)
        expect(errorCode(reply), JSON.stringify(input)).toBe(code)
        expect(reply.errors?.[0]?.message).toMatch(message)
      }
    })

    it('updates the name, status and properties; unknown ids are NOT_FOUND', async () => {
      const created = await create({ url: `${base}/${unique()}`, publicName: 'Bob' })
      const update = (input: Record<string, unknown>) =>
        gql(url, updateWalletAddress, { input: { id: created.id, ...input } })
      const off = payload<WalletAddress>(
        await update({
          status: 'INACTIVE',
          additionalProperties: [{ key: 'k', value: 'v', visibleInOpenPayments: true }],
        }),
        'updateWalletAddress',
        'walletAddress',
      )
      expect(off).toMatchObject({
        status: 'INACTIVE',
        publicName: 'Bob',
        additionalProperties: [{ key: 'k', value: 'v', visibleInOpenPayments: true }],
      })
      const on = payload<WalletAddress>(
        await update({ status: 'ACTIVE', publicName: null, additionalProperties: [] }),
        'updateWalletAddress',
        'walletAddress',
      )
      expect(on).toMatchObject({ status: 'ACTIVE', publicName: null, additionalProperties: [] })
      const missing = await gql(url, updateWalletAddress, { input: { id: crypto.randomUUID() } })
      expect(errorCode(missing)).toBe('NOT_FOUND')
      const badStatus = await update({ status: 'PAUSED' })
      expect(badStatus.status).toBeLessThan(500)
      expect(badStatus.errors?.[0]?.message).toMatch(/WalletAddressStatus/)
    })

    it('adds, lists and revokes keys', async () => {
      const created = await create({ url: `${base}/${unique()}` })
      const jwk = newJwk('key-1')
      const key = payload<Key>(
        await gql(url, createKey, { input: { walletAddressId: created.id, jwk } }),
        'createWalletAddressKey',
        'walletAddressKey',
      )
      expect(key).toMatchObject({ walletAddressId: created.id, revoked: false, jwk })
      const again = await gql(url, createKey, { input: { walletAddressId: created.id, jwk } })
      expect(errorCode(again)).toBe('DUPLICATE')
      const bad = { walletAddressId: created.id, jwk: { ...jwk, kid: 'k2', x: 'short' } }
      expect(errorCode(await gql(url, createKey, { input: bad }))).toBe('BAD_USER_INPUT')
      const orphan = { walletAddressId: crypto.randomUUID(), jwk: newJwk('k3') }
      expect(errorCode(await gql(url, createKey, { input: orphan }))).toBe('NOT_FOUND')
      const second = await gql(url, createKey, {
        input: { walletAddressId: created.id, jwk: newJwk('key-2') },
      })
      expect(errorCode(second)).toBeUndefined()
      const revoked = payload<Key>(
        await gql(url, revokeKey, { input: { id: key.id } }),
        'revokeWalletAddressKey',
        'walletAddressKey',
      )
      expect(revoked).toEqual({ ...key, revoked: true })
      const twice = await gql(url, revokeKey, { input: { id: key.id } })
      expect(twice.data?.['revokeWalletAddressKey']).toEqual({ walletAddressKey: revoked })
      const unknown = await gql(url, revokeKey, { input: { id: crypto.randomUUID() } })
      expect(errorCode(unknown)).toBe('NOT_FOUND')
      const keys = await gql(url, keysOf, { id: created.id, sortOrder: 'ASC' })
      const edges = (keys.data?.['walletAddress'] as { walletAddressKeys: { edges: unknown[] } })
        .walletAddressKeys.edges
      expect(edges).toEqual([
        { node: { id: key.id, revoked: true, jwk: { kid: 'key-1' } } },
        { node: { id: expect.any(String), revoked: false, jwk: { kid: 'key-2' } } },
      ])
    })

    it('pages through wallet addresses in both directions', async () => {
      for (let i = 0; i < 3; i += 1) await create({ url: `${base}/page-${unique()}` })
      type Connection = {
        pageInfo: { endCursor: string; hasNextPage: boolean; hasPreviousPage: boolean }
        edges: { cursor: string; node: { id: string } }[]
      }
      const page = (reply: GraphqlReply) => reply.data?.['walletAddresses'] as Connection
      const first = page(await gql(url, list, { first: 2, sortOrder: 'ASC' }))
      expect(first.edges).toHaveLength(2)
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
      const next = page(
        await gql(url, list, { first: 2, after: first.pageInfo.endCursor, sortOrder: 'ASC' }),
      )
      expect(next.pageInfo.hasPreviousPage).toBe(true)
      const back = page(
        await gql(url, list, { last: 2, before: next.edges[0]?.cursor, sortOrder: 'ASC' }),
      )
      expect(back.edges.map((edge) => edge.node.id)).toEqual(first.edges.map((e) => e.node.id))
      expect(errorCode(await gql(url, list, { first: 101 }))).toBe('BAD_USER_INPUT')
      expect(errorCode(await gql(url, list, { after: 'garbage' }))).toBe('BAD_USER_INPUT')
    })

    it('honours idempotencyKey on createWalletAddress', async () => {
      const idempotencyKey = crypto.randomUUID()
      const input = { assetId, url: `${base}/${unique()}`, idempotencyKey }
      const first = await gql(url, createWalletAddress, { input })
      const replay = await gql(url, createWalletAddress, { input })
      expect(errorCode(first)).toBeUndefined()
      expect(replay.data).toEqual(first.data)
      const other = await gql(url, createWalletAddress, {
        input: { ...input, publicName: 'Other' },
      })
      expect(errorCode(other)).toBe('CONFLICT')
    })

    it('serves the wallet address and its keys to an Open Payments client', async () => {
      const created = await create({
        url: `${base}/op-${unique()}`,
        publicName: 'Carol',
        additionalProperties: [{ key: 'nick', value: 'C', visibleInOpenPayments: true }],
      })
      const jwk = newJwk('op-key')
      await gql(url, createKey, { input: { walletAddressId: created.id, jwk } })
      // useHttp: the client fetches the https wallet address URL over this plain-http port.
      const client = await createUnauthenticatedClient({ useHttp: true, logLevel: 'silent' })
      expect(await client.walletAddress.get({ url: created.url })).toEqual({
        id: created.url,
        publicName: 'Carol',
        assetCode: created.asset.code,
        assetScale: 2,
        authServer: servers.AUTH_SERVER_GRANT_URL,
        resourceServer: servers.OPEN_PAYMENTS_URL,
        additionalProperties: { nick: 'C' },
      })
      expect(await client.walletAddress.getKeys({ url: created.url })).toEqual({ keys: [jwk] })
      await gql(url, updateWalletAddress, { input: { id: created.id, status: 'INACTIVE' } })
      const plain = created.url.replace('https://', 'http://')
      for (const path of [plain, `${plain}/jwks.json`]) {
        const response = await fetch(path)
        expect(response.status, path).toBe(404)
        expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
      }
    })
  },
)
