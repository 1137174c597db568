import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql } from '../support/graphql-client.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'

const createAsset = `mutation ($input: CreateAssetInput!) {
  createAsset(input: $input) { asset { id liquidity } } }`
const deposit = `mutation ($input: DepositAssetLiquidityInput!) {
  depositAssetLiquidity(input: $input) { success } }`
const withdraw = `mutation ($input: CreateAssetLiquidityWithdrawalInput!) {
  createAssetLiquidityWithdrawal(input: $input) { success } }`
const post = `mutation ($input: PostLiquidityWithdrawalInput!) {
  postLiquidityWithdrawal(input: $input) { success } }`
const voidIt = `mutation ($input: VoidLiquidityWithdrawalInput!) {
  voidLiquidityWithdrawal(input: $input) { success } }`
const liquidity = `query ($id: String!) { asset(id: $id) { liquidity } }`
const transfers = `query ($id: String!, $limit: Int) { accountingTransfers(id: $id, limit: $limit) {
  debits { id amount transferType state ledger } credits { id amount transferType state } } }`

const uuid = () => crypto.randomUUID()
const key = () => ({ idempotencyKey: uuid() })

describe.each(testNodeTargets('admin-liquidity e2e'))(
  'asset liquidity over HTTP ($name)',
  ({ env }) => {
    let node: Node & { adminUrl: string }
    let url: string
    const newAsset = async () => {
      const code = `L${Math.random().toString(36).slice(2, 8)}`.toUpperCase()
      const reply = await gql(url, createAsset, { input: { code, scale: 2 } })
      const asset = (reply.data?.['createAsset'] as { asset: { id: string; liquidity: string } })
        .asset
      expect(asset.liquidity).toBe('0')
      return asset.id
    }
    const balance = async (id: string) =>
      ((await gql(url, liquidity, { id })).data?.['asset'] as { liquidity: string }).liquidity

    beforeAll(async () => {
      node = await bootTestNode(env)
      url = node.adminUrl
    })
    afterAll(async () => {
      await node?.stop()
    })

    it('deposits, withdraws at once, and posts or voids pending withdrawals', async () => {
      const assetId = await newAsset()
      const depositId = uuid()
      const input = { assetId, amount: '1000', id: depositId, ...key() }
      expect((await gql(url, deposit, { input })).data).toEqual({
        depositAssetLiquidity: { success: true },
      })
      expect(await balance(assetId)).toBe('1000')
      const reused = await gql(url, deposit, { input: { ...input, amount: '5', ...key() } })
      expect(errorCode(reused)).toBe('DUPLICATE')
      await gql(url, withdraw, {
        input: { assetId, amount: '100', id: uuid(), timeoutSeconds: 0, ...key() },
      })
      expect(await balance(assetId)).toBe('900')
      const pendingId = uuid()
      await gql(url, withdraw, {
        input: { assetId, amount: '200', id: pendingId, timeoutSeconds: 60, ...key() },
      })
      expect(await balance(assetId)).toBe('700')
      expect((await gql(url, post, { input: { withdrawalId: pendingId, ...key() } })).data).toEqual(
        {
          postLiquidityWithdrawal: { success: true },
        },
      )
      const again = await gql(url, voidIt, { input: { withdrawalId: pendingId, ...key() } })
      expect(errorCode(again)).toBe('CONFLICT')
      const voided = uuid()
      await gql(url, withdraw, {
        input: { assetId, amount: '50', id: voided, timeoutSeconds: 60, ...key() },
      })
      await gql(url, voidIt, { input: { withdrawalId: voided, ...key() } })
      expect(await balance(assetId)).toBe('700')
      const history = (await gql(url, transfers, { id: assetId, limit: 10 })).data?.[
        'accountingTransfers'
      ] as {
        debits: { id: string; transferType: string; amount: string }[]
        credits: { id: string; transferType: string; amount: string }[]
      }
      expect(history.credits.map((t) => [t.id, t.transferType, t.amount])).toContainEqual([
        depositId,
        'DEPOSIT',
        '1000',
      ])
      expect(history.debits.map((t) => t.transferType)).toContain('WITHDRAWAL')
    })

    it('answers bad liquidity requests with specific errors', async () => {
      const assetId = await newAsset()
      const cases: [string, Record<string, unknown>, string][] = [
        [deposit, { assetId, amount: '0', id: uuid() }, 'BAD_USER_INPUT'],
        [deposit, { assetId: uuid(), amount: '5', id: uuid() }, 'NOT_FOUND'],
        [deposit, { assetId, amount: '5', id: 'not-a-uuid' }, 'BAD_USER_INPUT'],
        [withdraw, { assetId, amount: '5', id: uuid(), timeoutSeconds: 0 }, 'FORBIDDEN'],
        [post, { withdrawalId: uuid() }, 'NOT_FOUND'],
      ]
      for (const [query, input, code] of cases) {
        const reply = await gql(url, query, { input: { ...input, ...key() } })
        expect(reply.status).toBeLessThan(500)
        expect(errorCode(reply), JSON.stringify(reply)).toBe(code)
      }
      expect(errorCode(await gql(url, transfers, { id: assetId, limit: 101 }))).toBe(
        'BAD_USER_INPUT',
      )
    })

    it('lets exactly 100 of 200 concurrent withdrawals of 10 through a balance of 1000', async () => {
      const assetId = await newAsset()
      await gql(url, deposit, { input: { assetId, amount: '1000', id: uuid(), ...key() } })
      const replies = await Promise.all(
        Array.from({ length: 200 }, () =>
          gql(url, withdraw, {
            input: { assetId, amount: '10', id: uuid(), timeoutSeconds: 0, ...key() },
          }),
        ),
      )
      const succeeded = replies.filter((reply) => reply.data?.['createAssetLiquidityWithdrawal'])
      const refused = replies.filter((reply) => errorCode(reply) === 'FORBIDDEN')
      expect(succeeded).toHaveLength(100)
      expect(refused).toHaveLength(100)
      expect(await balance(assetId)).toBe('0')
    }, 60_000)
  },
)
