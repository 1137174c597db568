import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql } from '../support/graphql-client.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'

const assetFields = 'id code scale withdrawalThreshold liquidityThreshold createdAt'
const createAsset = `mutation ($input: CreateAssetInput!) {
  createAsset(input: $input) { asset { ${assetFields} } } }`
const listAssets = `query ($first: Int, $last: Int, $after: String, $before: String, $sortOrder: SortOrder) {
  assets(first: $first, last: $last, after: $after, before: $before, sortOrder: $sortOrder) {
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
    edges { cursor node { id code scale } } } }`

const targets = testNodeTargets('admin-assets e2e')

describe.each(targets)('admin API assets over HTTP ($name)', ({ env }) => {
  let node: Node
  let url: string
  const code = (prefix: string) =>
    `${prefix}${Math.random().toString(36).slice(2, 8)}`.toUpperCase()

  beforeAll(async () => {
    node = await bootTestNode(env)
    url = `http://127.0.0.1:${node.ports.admin}`
  })
  afterAll(async () => {
    await node?.stop()
  })

  it('creates, reads, updates and soft-deletes an asset', async () => {
    const usd = code('U')
    const created = await gql(url, createAsset, {
      input: { code: usd, scale: 2, withdrawalThreshold: '100', liquidityThreshold: 5 },
    })
    const asset = (created.data?.['createAsset'] as { asset: Record<string, unknown> }).asset
    expect(asset).toMatchObject({
      code: usd,
      scale: 2,
      withdrawalThreshold: '100',
      liquidityThreshold: '5',
    })
    const read = await gql(url, `query ($id: String!) { asset(id: $id) { ${assetFields} } }`, {
      id: asset['id'],
    })
    expect(read.data?.['asset']).toEqual(asset)
    const byCode = await gql(
      url,
      `query ($code: String!, $scale: UInt8!) { assetByCodeAndScale(code: $code, scale: $scale) { id } }`,
      { code: usd, scale: 2 },
    )
    expect(byCode.data?.['assetByCodeAndScale']).toEqual({ id: asset['id'] })
    const updated = await gql(
      url,
      `mutation ($input: UpdateAssetInput!) { updateAsset(input: $input) { asset { withdrawalThreshold liquidityThreshold } } }`,
      { input: { id: asset['id'], withdrawalThreshold: '18446744073709551615' } },
    )
    expect(updated.data?.['updateAsset']).toEqual({
      asset: { withdrawalThreshold: '18446744073709551615', liquidityThreshold: null },
    })
    const deleted = await gql(
      url,
      `mutation ($input: DeleteAssetInput!) { deleteAsset(input: $input) { asset { id } } }`,
      { input: { id: asset['id'] } },
    )
    expect(deleted.data?.['deleteAsset']).toEqual({ asset: { id: asset['id'] } })
    const gone = await gql(url, `query ($id: String!) { asset(id: $id) { id } }`, {
      id: asset['id'],
    })
    expect(errorCode(gone)).toBe('NOT_FOUND')
  })

  it('answers bad input with specific errors and never a 500', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ code: code('N'), scale: -1 }, 'BAD_USER_INPUT', /UInt8/],
      [{ code: code('N'), scale: 256 }, 'BAD_USER_INPUT', /UInt8/],
      [{ code: '', scale: 2 }, 'BAD_USER_INPUT', /Asset code/],
      [{ code: code('N'), scale: 2, withdrawalThreshold: '-5' }, 'BAD_USER_INPUT', /UInt64/],
    ]
    for (const [input, expectedCode, message] of cases) {
      const reply = await gql(url, createAsset, { input })
      expect(reply.status).toBeLessThan(500)
      expect(errorCode(reply), JSON.stringify(reply)).toBe(expectedCode)
      expect(reply.errors?.[0]?.message).toMatch(message)
    }
    const dup = code('D')
    await gql(url, createAsset, { input: { code: dup, scale: 2 } })
    expect(errorCode(await gql(url, createAsset, { input: { code: dup, scale: 2 } }))).toBe(
      'DUPLICATE',
    )
    expect(errorCode(await gql(url, listAssets, { first: 101 }))).toBe('BAD_USER_INPUT')
    expect(errorCode(await gql(url, listAssets, { after: 'garbage' }))).toBe('BAD_USER_INPUT')
    expect(errorCode(await gql(url, listAssets, { last: 5 }))).toBe('BAD_USER_INPUT')
    const missing = await gql(url, `query { asset(id: "not-a-uuid") { id } }`)
    expect(errorCode(missing)).toBe('NOT_FOUND')
    const syntax = await gql(url, `query { assets( }`)
    expect(syntax.status).toBeLessThan(500)
    expect(syntax.errors?.[0]?.message).toMatch(/Syntax Error/)
  })

  it('pages through assets in both directions', async () => {
    for (let i = 0; i < 3; i += 1)
      await gql(url, createAsset, { input: { code: code('P'), scale: i } })
    const first = await gql(url, listAssets, { first: 2, sortOrder: 'ASC' })
    const page = first.data?.['assets'] as {
      pageInfo: { endCursor: string; hasNextPage: boolean; hasPreviousPage: boolean }
      edges: { cursor: string; node: { id: string } }[]
    }
    expect(page.edges).toHaveLength(2)
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
    expect(page.edges[1]?.cursor).toBe(page.pageInfo.endCursor)
    const next = await gql(url, listAssets, {
      first: 2,
      after: page.pageInfo.endCursor,
      sortOrder: 'ASC',
    })
    const nextPage = next.data?.['assets'] as typeof page
    expect(nextPage.pageInfo.hasPreviousPage).toBe(true)
    const back = await gql(url, listAssets, {
      last: 2,
      before: nextPage.edges[0]?.cursor,
      sortOrder: 'ASC',
    })
    expect((back.data?.['assets'] as typeof page).edges.map((e) => e.node.id)).toEqual(
      page.edges.map((e) => e.node.id),
    )
  })

  it('honours idempotencyKey: replay, different arguments, concurrency', async () => {
    const key = crypto.randomUUID()
    const input = { code: code('I'), scale: 2, idempotencyKey: key }
    const [a, b] = await Promise.all([
      gql(url, createAsset, { input }),
      gql(url, createAsset, { input }),
    ])
    const codes = [errorCode(a), errorCode(b)]
    // One runs; a simultaneous duplicate is either refused or (if it arrived after) replayed.
    expect(codes.filter((c) => c === undefined).length).toBeGreaterThanOrEqual(1)
    for (const c of codes) expect([undefined, 'CONFLICT']).toContain(c)
    const replay = await gql(url, createAsset, { input })
    const original = a.data ? a : b
    expect(replay.data).toEqual(original.data)
    const other = await gql(url, createAsset, { input: { ...input, scale: 3 } })
    expect(errorCode(other)).toBe('CONFLICT')
    expect(other.errors?.[0]?.message).toMatch(/different than the original request/)
    const failedKey = crypto.randomUUID()
    const failed = await gql(url, createAsset, {
      input: { code: '', scale: 2, idempotencyKey: failedKey },
    })
    const failedAgain = await gql(url, createAsset, {
      input: { code: '', scale: 2, idempotencyKey: failedKey },
    })
    expect(failedAgain.errors).toEqual(failed.errors)
  })

  it('serves /healthz and 404 JSON on every port', async () => {
    // The authorization server's GNAP ports answer in GNAP's error shape.
    const gnapPorts = [node.ports.auth, node.ports.introspection]
    expect(gnapPorts.every((port) => port !== undefined)).toBe(true)
    for (const port of Object.values(node.ports)) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`)
      expect(health.status).toBe(200)
      const missing = await fetch(`http://127.0.0.1:${port}/nope`)
      expect(missing.status).toBe(404)
      const code = gnapPorts.includes(port) ? 'invalid_request' : 'not_found'
      expect(await missing.json()).toEqual({ error: { code, description: 'Not found' } })
    }
  })
})
