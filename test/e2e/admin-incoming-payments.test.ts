import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql, type GraphqlReply } from '../support/graphql-client.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'
import { startWebhookReceiver } from '../support/webhook-receiver.ts'

const payload = <T>(reply: GraphqlReply, field: string, key: string): T => {
  const value = (reply.data?.[field] as Record<string, unknown> | null | undefined)?.[key]
  if (value === undefined || value === null) throw new Error(JSON.stringify(reply))
  return value as T
}

const createPayment = `mutation ($input: CreateIncomingPaymentInput!) {
  createIncomingPayment(input: $input) { payment {
    id walletAddressId state expiresAt metadata liquidity
    incomingAmount { value assetCode assetScale } receivedAmount { value assetCode assetScale } } } }`

describe.each(testNodeTargets('admin-incoming-payments e2e'))(
  'incoming payments through the admin API ($name)',
  ({ env }) => {
    let node: Node & { adminUrl: string }
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
    let walletAddressId: string
    const code = `I${crypto.randomUUID().slice(0, 6)}`.toUpperCase()

    beforeAll(async () => {
      receiver = await startWebhookReceiver()
      node = await bootTestNode({ ...env, WEBHOOK_URL: receiver.url })
      const asset = await gql(
        node.adminUrl,
        `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id } } }`,
        { input: { code, scale: 2 } },
      )
      const assetId = payload<{ id: string }>(asset, 'createAsset', 'asset').id
      const wallet = await gql(
        node.adminUrl,
        `mutation ($input: CreateWalletAddressInput!) {
          createWalletAddress(input: $input) { walletAddress { id } } }`,
        { input: { assetId, url: `https://wallet.example/${crypto.randomUUID()}` } },
      )
      walletAddressId = payload<{ id: string }>(wallet, 'createWalletAddress', 'walletAddress').id
    })
    afterAll(async () => {
      await node?.stop()
      await receiver?.close()
    })

    it('creates and reads a payment, with its liquidity account and created event', async () => {
      const created = await gql(node.adminUrl, createPayment, {
        input: {
          walletAddressId,
          incomingAmount: { value: '500', assetCode: code, assetScale: 2 },
          metadata: { description: 'rent' },
        },
      })
      const payment = payload<Record<string, unknown>>(created, 'createIncomingPayment', 'payment')
      expect(payment).toMatchObject({
        walletAddressId,
        state: 'PENDING',
        metadata: { description: 'rent' },
        liquidity: '0',
        incomingAmount: { value: '500', assetCode: code, assetScale: 2 },
        receivedAmount: { value: '0', assetCode: code, assetScale: 2 },
      })
      const read = await gql(
        node.adminUrl,
        `query ($id: String!) { incomingPayment(id: $id) { id state } }`,
        { id: payment['id'] },
      )
      expect(read.data?.['incomingPayment']).toEqual({ id: payment['id'], state: 'PENDING' })
      await receiver.waitFor(1)
      expect(receiver.received.map((w) => [w.body.type, w.body.data['id']])).toContainEqual([
        'incoming_payment.created',
        payment['id'],
      ])
    })

    it('refuses bad input with specific errors', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ walletAddressId: crypto.randomUUID() }, 'NOT_FOUND'],
        [
          { walletAddressId, expiresAt: new Date(Date.now() - 60_000).toISOString() },
          'BAD_USER_INPUT',
        ],
        [
          { walletAddressId, incomingAmount: { value: '5', assetCode: 'XXX', assetScale: 2 } },
          'BAD_USER_INPUT',
        ],
        [
          { walletAddressId, incomingAmount: { value: '0', assetCode: code, assetScale: 2 } },
          'BAD_USER_INPUT',
        ],
      ]
      for (const [input, expected] of cases) {
        const reply = await gql(node.adminUrl, createPayment, { input })
        expect(reply.status).toBeLessThan(500)
        expect(errorCode(reply), JSON.stringify(reply)).toBe(expected)
      }
      const missing = await gql(
        node.adminUrl,
        `query { incomingPayment(id: "${crypto.randomUUID()}") { id } }`,
      )
      expect(errorCode(missing)).toBe('NOT_FOUND')
    })
  },
)
