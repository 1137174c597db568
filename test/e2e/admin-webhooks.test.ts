import { createHmac } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../domain/shared/canonical-json.ts'
import { gql } from '../support/graphql-client.ts'
import { bootTestNode } from '../support/test-node.ts'
import { startWebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.ts'

const secret = 'webhook-secret'
const uuid = () => crypto.randomUUID()

const verify = (webhook: ReceivedWebhook): boolean => {
  const match = /^t=(\d+), v1=([0-9a-f]{64})$/.exec(webhook.signature ?? '')
  if (!match) return false
  const [, t, digest] = match
  const expected = createHmac('sha256', secret)
    .update(`${t}.${canonicalJson(webhook.body)}`)
    .digest('hex')
  return expected === digest
}

async function drainAsset(url: string, threshold: string): Promise<string> {
  const created = await gql(
    url,
    `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id } } }`,
    {
      input: {
        code: `W${uuid().slice(0, 6)}`.toUpperCase(),
        scale: 2,
        liquidityThreshold: threshold,
      },
    },
  )
  const assetId = (created.data?.['createAsset'] as { asset: { id: string } }).asset.id
  const key = () => ({ idempotencyKey: uuid() })
  await gql(
    url,
    `mutation ($input: DepositAssetLiquidityInput!) { depositAssetLiquidity(input: $input) { success } }`,
    { input: { assetId, amount: '100', id: uuid(), ...key() } },
  )
  await gql(
    url,
    `mutation ($input: CreateAssetLiquidityWithdrawalInput!) {
      createAssetLiquidityWithdrawal(input: $input) { success } }`,
    { input: { assetId, amount: '95', id: uuid(), timeoutSeconds: 0, ...key() } },
  )
  return assetId
}

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('webhooks from a running node', () => {
  it('sends asset.liquidity_low, signed, and lists it in webhookEvents', async () => {
    const receiver = await startWebhookReceiver()
    const node = await bootTestNode({
      DATABASE_URL: 'pglite://memory',
      WEBHOOK_URL: receiver.url,
      SIGNATURE_SECRET: secret,
    })
    try {
      const assetId = await drainAsset(node.adminUrl, '10')
      await receiver.waitFor(1)
      const [webhook] = receiver.received
      expect(webhook?.body).toMatchObject({
        type: 'asset.liquidity_low',
        data: {
          id: assetId,
          liquidityThreshold: '10',
          balance: '5',
          asset: { id: assetId, scale: 2 },
        },
      })
      expect(webhook && verify(webhook)).toBe(true)
      const listed = await gql(
        node.adminUrl,
        `query { webhookEvents(filter: { type: { in: ["asset.liquidity_low"] } }) {
          edges { node { id type data } } } }`,
      )
      const edges = (listed.data?.['webhookEvents'] as { edges: { node: { id: string } }[] }).edges
      expect(edges.map((edge) => edge.node.id)).toEqual([webhook?.body.id])
    } finally {
      await node.stop()
      await receiver.close()
    }
  })

  it('delivers events recorded before a restart (outbox), each once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ilp-node-webhooks-'))
    dirs.push(dataDir)
    const env = { DATABASE_URL: `pglite://${dataDir}` }
    // First life: no WEBHOOK_URL, so nothing is delivered before the node goes away.
    const first = await bootTestNode(env)
    await drainAsset(first.adminUrl, '10')
    await drainAsset(first.adminUrl, '10')
    await first.stop()
    const receiver = await startWebhookReceiver()
    const second = await bootTestNode({
      ...env,
      WEBHOOK_URL: receiver.url,
      SIGNATURE_SECRET: secret,
    })
    try {
      await receiver.waitFor(2)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(receiver.received).toHaveLength(2)
      expect(new Set(receiver.received.map((w) => w.body.id)).size).toBe(2)
      expect(receiver.received.every(verify)).toBe(true)
    } finally {
      await second.stop()
      await receiver.close()
    }
  })
})
