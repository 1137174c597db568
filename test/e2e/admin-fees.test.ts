import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql } from '../support/graphql-client.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'

type Fee = {
  id: string
  assetId: string
  type: string
  fixed: string
  basisPoints: number
  createdAt: string
}
type FeesPage = {
  pageInfo: {
    startCursor: string | null
    endCursor: string | null
    hasNextPage: boolean
    hasPreviousPage: boolean
  }
  edges: { cursor: string; node: Fee }[]
}

const feeFields = 'id assetId type fixed basisPoints createdAt'
const setFee = `mutation ($input: SetFeeInput!) { setFee(input: $input) { fee { ${feeFields} } } }`
const assetFees = `query ($id: String!) {
  asset(id: $id) { sendingFee { ${feeFields} } receivingFee { ${feeFields} } } }`
const feesPage = `query ($id: String!, $first: Int, $last: Int, $after: String, $before: String,
    $sortOrder: SortOrder) {
  asset(id: $id) {
    fees(first: $first, last: $last, after: $after, before: $before, sortOrder: $sortOrder) {
      pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
      edges { cursor node { ${feeFields} } } } } }`

const targets = testNodeTargets('admin-fees e2e')

describe.each(targets)('admin API fees over HTTP ($name)', ({ env }) => {
  let node: Node
  let url: string

  const newAsset = async (): Promise<string> => {
    const code = `F${Math.random().toString(36).slice(2, 8)}`.toUpperCase()
    const reply = await gql(
      url,
      `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id } } }`,
      { input: { code, scale: 2 } },
    )
    const id = (reply.data?.['createAsset'] as { asset: { id: string } } | undefined)?.asset.id
    if (id === undefined) throw new Error(`createAsset failed: ${JSON.stringify(reply)}`)
    return id
  }
  const set = async (input: Record<string, unknown>): Promise<Fee> => {
    const reply = await gql(url, setFee, { input })
    const fee = (reply.data?.['setFee'] as { fee: Fee } | undefined)?.fee
    if (fee === undefined) throw new Error(`setFee failed: ${JSON.stringify(reply)}`)
    return fee
  }
  const current = async (assetId: string) => {
    const reply = await gql(url, assetFees, { id: assetId })
    expect(reply.errors).toBeUndefined()
    return reply.data?.['asset'] as { sendingFee: Fee | null; receivingFee: Fee | null }
  }
  const page = async (assetId: string, args: Record<string, unknown>): Promise<FeesPage> => {
    const reply = await gql(url, feesPage, { id: assetId, ...args })
    expect(reply.errors, JSON.stringify(reply.errors)).toBeUndefined()
    return (reply.data?.['asset'] as { fees: FeesPage }).fees
  }

  beforeAll(async () => {
    node = await bootTestNode(env)
    url = `http://127.0.0.1:${node.ports.admin}`
  })
  afterAll(async () => {
    await node?.stop()
  })

  it('sets fees per type; the latest of each type is the one in force', async () => {
    const assetId = await newAsset()
    expect(await current(assetId)).toEqual({ sendingFee: null, receivingFee: null })
    const first = await set({ assetId, type: 'SENDING', fee: { fixed: 100, basisPoints: 250 } })
    expect(first).toMatchObject({ assetId, type: 'SENDING', fixed: '100', basisPoints: 250 })
    expect(new Date(first.createdAt).toISOString()).toBe(first.createdAt)
    expect(await current(assetId)).toEqual({ sendingFee: first, receivingFee: null })

    const second = await set({
      assetId,
      type: 'SENDING',
      fee: { fixed: '18446744073709551615', basisPoints: 10_000 },
    })
    expect(second.id).not.toBe(first.id)
    expect(second).toMatchObject({ fixed: '18446744073709551615', basisPoints: 10_000 })
    expect(await current(assetId)).toEqual({ sendingFee: second, receivingFee: null })

    const receiving = await set({
      assetId,
      type: 'RECEIVING',
      fee: { fixed: '0', basisPoints: 0 },
    })
    expect(await current(assetId)).toEqual({ sendingFee: second, receivingFee: receiving })
    // Another asset's fees are its own.
    expect(await current(await newAsset())).toEqual({ sendingFee: null, receivingFee: null })
  })

  it('pages through the fee history of an asset in both directions', async () => {
    const assetId = await newAsset()
    const other = await newAsset()
    const set5: Fee[] = []
    for (let i = 0; i < 5; i += 1) {
      const type = i % 2 === 0 ? 'SENDING' : 'RECEIVING'
      set5.push(await set({ assetId, type, fee: { fixed: i, basisPoints: i } }))
      await set({ assetId: other, type, fee: { fixed: 9, basisPoints: 9 } })
    }
    const ids = set5.map((fee) => fee.id)
    const newestFirst = [...ids].reverse()

    // Default order is newest first (DESC), as Rafiki's.
    const first = await page(assetId, { first: 2 })
    expect(first.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(0, 2))
    expect(first.edges[0]?.node).toEqual(set5[4])
    expect(first.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: newestFirst[0],
      endCursor: newestFirst[1],
    })
    const second = await page(assetId, { first: 2, after: first.pageInfo.endCursor })
    expect(second.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(2, 4))
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true })
    const third = await page(assetId, { first: 2, after: second.pageInfo.endCursor })
    expect(third.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(4))
    expect(third.pageInfo.hasNextPage).toBe(false)

    const back = await page(assetId, { last: 2, before: second.pageInfo.startCursor })
    expect(back.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(0, 2))
    expect(back.pageInfo.hasPreviousPage).toBe(false)

    const ascending = await page(assetId, { first: 10, sortOrder: 'ASC' })
    expect(ascending.edges.map((e) => e.node.id)).toEqual(ids)
    expect(ascending.edges.map((e) => e.cursor)).toEqual(ids)

    // The fee in force is the newest of its type in the history.
    expect(await current(assetId)).toEqual({ sendingFee: set5[4], receivingFee: set5[3] })
    expect((await page(await newAsset(), {})).edges).toEqual([])
  })

  it('answers bad input with Rafiki-style errors, never a 500, and stores nothing', async () => {
    const assetId = await newAsset()
    const kept = await set({ assetId, type: 'SENDING', fee: { fixed: 1, basisPoints: 1 } })
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { assetId, type: 'SENDING', fee: { fixed: 1, basisPoints: -1 } },
        'BAD_USER_INPUT',
        /^Basis point fee must be between 0 and 10000$/,
      ],
      [
        { assetId, type: 'SENDING', fee: { fixed: 1, basisPoints: 10_001 } },
        'BAD_USER_INPUT',
        /^Basis point fee must be between 0 and 10000$/,
      ],
      [
        { assetId, type: 'SENDING', fee: { fixed: -1, basisPoints: 1 } },
        'BAD_USER_INPUT',
        /UInt64/,
      ],
      [
        { assetId, type: 'SENDING', fee: { fixed: '18446744073709551616', basisPoints: 1 } },
        'BAD_USER_INPUT',
        /UInt64/,
      ],
      [
        { assetId: crypto.randomUUID(), type: 'SENDING', fee: { fixed: 1, basisPoints: 1 } },
        'NOT_FOUND',
        /^Unknown asset$/,
      ],
      [
        { assetId: 'not-a-uuid', type: 'SENDING', fee: { fixed: 1, basisPoints: 1 } },
        'NOT_FOUND',
        /^Unknown asset$/,
      ],
    ]
    for (const [input, expectedCode, message] of cases) {
      const reply = await gql(url, setFee, { input })
      expect(reply.status, JSON.stringify(input)).toBeLessThan(500)
      expect(errorCode(reply), JSON.stringify(reply)).toBe(expectedCode)
      expect(reply.errors?.[0]?.message).toMatch(message)
      expect(reply.data?.['setFee'] ?? null).toBeNull()
    }
    for (const input of [
      { assetId, type: 'BOTH', fee: { fixed: 1, basisPoints: 1 } },
      { assetId, type: 'SENDING', fee: { fixed: 1, basisPoints: 1.5 } },
      { assetId, type: 'SENDING', fee: { fixed: 1 } },
    ]) {
      const reply = await gql(url, setFee, { input })
      expect(reply.status, JSON.stringify(input)).toBeLessThan(500)
      expect(reply.errors?.length, JSON.stringify(reply)).toBeGreaterThan(0)
      expect(errorCode(reply)).not.toBe('INTERNAL_SERVER_ERROR')
    }
    expect(await current(assetId)).toEqual({ sendingFee: kept, receivingFee: null })
    expect((await page(assetId, {})).edges.map((e) => e.node.id)).toEqual([kept.id])

    for (const args of [{ first: 101 }, { after: 'garbage' }, { last: 5 }]) {
      const reply = await gql(url, feesPage, { id: assetId, ...args })
      expect(errorCode(reply), JSON.stringify(args)).toBe('BAD_USER_INPUT')
    }
  })

  it('honours idempotencyKey: replay, different arguments, stored errors', async () => {
    const assetId = await newAsset()
    const key = crypto.randomUUID()
    const input = {
      assetId,
      type: 'SENDING',
      fee: { fixed: 5, basisPoints: 50 },
      idempotencyKey: key,
    }
    const original = await set(input)
    const later = await set({ assetId, type: 'SENDING', fee: { fixed: 6, basisPoints: 60 } })
    // The replay answers what the first call did and adds no row; the later fee stays in force.
    const replay = await gql(url, setFee, { input })
    expect(replay.data?.['setFee']).toEqual({ fee: original })
    expect((await page(assetId, {})).edges.map((e) => e.node.id)).toEqual([later.id, original.id])
    expect((await current(assetId)).sendingFee).toEqual(later)

    const other = await gql(url, setFee, {
      input: { ...input, fee: { fixed: 5, basisPoints: 51 } },
    })
    expect(errorCode(other)).toBe('CONFLICT')
    expect(other.errors?.[0]?.message).toMatch(/different than the original request/)

    const failedKey = crypto.randomUUID()
    const bad = { ...input, fee: { fixed: 5, basisPoints: 10_001 }, idempotencyKey: failedKey }
    const failed = await gql(url, setFee, { input: bad })
    expect(errorCode(failed)).toBe('BAD_USER_INPUT')
    expect((await gql(url, setFee, { input: bad })).errors).toEqual(failed.errors)
    expect((await page(assetId, {})).edges).toHaveLength(2)
  })
})
