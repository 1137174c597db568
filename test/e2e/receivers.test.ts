import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectorTokens } from '../../runtimes/compose-connector.ts'
import { receiverTokens } from '../../runtimes/compose-receivers.ts'
import { bootComposedTestNode, type ComposedTestNode } from '../support/composed-test-node.ts'
import { errorCode, gql, type GraphqlReply } from '../support/graphql-client.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
  payload,
  type OpenPaymentsNode,
} from '../support/open-payments-e2e.ts'
import { testNodeTargets } from '../support/test-node.ts'

const receiverFields = `id walletAddressUrl completed expiresAt metadata createdAt updatedAt
  incomingAmount { value assetCode assetScale } receivedAmount { value assetCode assetScale }`

type ReceiverJson = {
  id: string
  walletAddressUrl: string
  completed: boolean
  expiresAt: string | null
  metadata: Record<string, unknown> | null
  incomingAmount: { value: string; assetCode: string; assetScale: number } | null
  receivedAmount: { value: string; assetCode: string; assetScale: number }
}

const createReceiver = (adminUrl: string, input: Record<string, unknown>) =>
  gql(
    adminUrl,
    `mutation ($input: CreateReceiverInput!) {
      createReceiver(input: $input) { receiver { ${receiverFields} } } }`,
    { input },
  )

const readReceiver = (adminUrl: string, id: string) =>
  gql(adminUrl, `query ($id: String!) { receiver(id: $id) { ${receiverFields} } }`, { id })

const receiverOf = (reply: GraphqlReply): ReceiverJson => {
  const receiver = reply.data?.['receiver'] as ReceiverJson | null | undefined
  if (!receiver) throw new Error(JSON.stringify(reply))
  return receiver
}

const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const incomingAmount = { value: '1234', assetCode: 'USD', assetScale: 2 }

describe.each(testNodeTargets('receivers e2e'))('receivers ($name)', ({ env }) => {
  describe('at a wallet address of this node', () => {
    const opUrl = 'https://op.example'
    let node: ComposedTestNode
    let walletUrl: string

    beforeAll(async () => {
      // OPEN_PAYMENTS_URL names no server: a local receiver must never be fetched over HTTP.
      node = await bootComposedTestNode({
        ...env,
        OPEN_PAYMENTS_URL: opUrl,
        ILP_ADDRESS: 'test.local',
      })
      const assetId = await createAsset(node.adminUrl, 'USD')
      walletUrl = `${opUrl}/alice-${crypto.randomUUID()}`
      await createWalletAddress(node.adminUrl, assetId, walletUrl)
    })
    afterAll(async () => {
      await node?.stop()
    })

    it('creates a receiver and reads it back, with STREAM credentials of this node', async () => {
      const created = payload<ReceiverJson>(
        await createReceiver(node.adminUrl, {
          walletAddressUrl: walletUrl,
          incomingAmount,
          metadata: { invoice: 7 },
        }),
        'createReceiver',
        'receiver',
      )
      expect(created.id).toMatch(new RegExp(`^${opUrl}/incoming-payments/${uuidPattern}$`))
      expect(created).toMatchObject({
        walletAddressUrl: walletUrl,
        completed: false,
        incomingAmount,
        receivedAmount: { ...incomingAmount, value: '0' },
        metadata: { invoice: 7 },
      })
      const paymentId = created.id.split('/').at(-1) ?? ''
      expect(receiverOf(await readReceiver(node.adminUrl, created.id))).toEqual(created)
      // The same payment named under its wallet address.
      const underWallet = `${walletUrl}/incoming-payments/${paymentId}`
      expect(receiverOf(await readReceiver(node.adminUrl, underWallet))).toEqual(created)

      const resolved = await node.get(receiverTokens.receivers).get(created.id)
      if (!resolved.ok) throw new Error(resolved.error)
      expect(resolved.value.localIncomingPaymentId).toBe(paymentId)
      const ilp = resolved.value.ilp
      expect(ilp?.ilpAddress.startsWith('test.local.')).toBe(true)
      expect(ilp?.sharedSecret.length).toBe(32)
      // The address is one of this node's STREAM addresses, for this payment.
      const tag = node.get(connectorTokens.streamReceiver).tagOf(ilp?.ilpAddress ?? '')
      expect(tag).toEqual({ kind: 'incoming-payment', id: paymentId })
    })

    it('answers unknown receivers and wallet addresses with NOT_FOUND, bad input with BAD_USER_INPUT', async () => {
      const missing = await readReceiver(
        node.adminUrl,
        `${opUrl}/incoming-payments/${crypto.randomUUID()}`,
      )
      expect(errorCode(missing)).toBe('NOT_FOUND')
      expect(errorCode(await readReceiver(node.adminUrl, 'not a url'))).toBe('NOT_FOUND')
      const noWallet = await createReceiver(node.adminUrl, { walletAddressUrl: `${opUrl}/nobody` })
      expect(errorCode(noWallet)).toBe('NOT_FOUND')
      const wrongAsset = await createReceiver(node.adminUrl, {
        walletAddressUrl: walletUrl,
        incomingAmount: { ...incomingAmount, assetCode: 'EUR' },
      })
      expect(errorCode(wrongAsset)).toBe('BAD_USER_INPUT')
      const past = await createReceiver(node.adminUrl, {
        walletAddressUrl: walletUrl,
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      })
      expect(errorCode(past)).toBe('BAD_USER_INPUT')
    })
  })

  describe("at another node's wallet address", () => {
    let a: OpenPaymentsNode
    let b: OpenPaymentsNode
    let bWallet: string
    let aClient: string

    beforeAll(async () => {
      // A signs as WALLET_ADDRESS_URL, served on its own Open Payments port with KEY_ID's key.
      a = await bootOpenPaymentsNode((opUrl) => ({
        ...env,
        WALLET_ADDRESS_URL: `${opUrl}/.well-known/pay`,
        KEY_ID: `node-a-${crypto.randomUUID()}`,
      }))
      aClient = `${a.opUrl}/.well-known/pay`
      b = await bootOpenPaymentsNode(env)
      const bAsset = await createAsset(b.adminUrl, 'USD')
      bWallet = `${b.opUrl}/bob-${crypto.randomUUID()}`
      await createWalletAddress(b.adminUrl, bAsset, bWallet)
    })
    afterAll(async () => {
      await a?.stop()
      await b?.stop()
    })

    it('creates and reads it under one stored grant, and gets a new grant when B refuses it', async () => {
      const created = payload<ReceiverJson>(
        await createReceiver(a.adminUrl, {
          walletAddressUrl: bWallet,
          incomingAmount,
          metadata: { order: 'x1' },
        }),
        'createReceiver',
        'receiver',
      )
      expect(created.id).toMatch(new RegExp(`^${b.opUrl}/incoming-payments/${uuidPattern}$`))
      expect(created).toMatchObject({
        walletAddressUrl: bWallet,
        completed: false,
        incomingAmount,
        receivedAmount: { ...incomingAmount, value: '0' },
        metadata: { order: 'x1' },
      })
      // B holds it: A created it through B's Open Payments API.
      const atB = await gql(
        b.adminUrl,
        `query ($id: String!) { incomingPayment(id: $id) { metadata incomingAmount { value } } }`,
        {
          id: created.id.split('/').at(-1),
        },
      )
      expect(atB.data?.['incomingPayment']).toEqual({
        metadata: { order: 'x1' },
        incomingAmount: { value: '1234' },
      })
      expect(b.auth.grantRequests).toEqual([
        {
          client: aClient,
          access: [{ type: 'incoming-payment', actions: ['create', 'read-all'] }],
          signed: true,
        },
      ])

      // Two reads reuse the stored grant.
      expect(receiverOf(await readReceiver(a.adminUrl, created.id))).toEqual(created)
      expect(receiverOf(await readReceiver(a.adminUrl, created.id))).toEqual(created)
      expect(b.auth.grantRequests).toHaveLength(1)

      // B stops accepting the token: A asks for a new grant once and reads again.
      b.auth.revoke(b.auth.issuedTokens.at(-1) ?? '')
      expect(receiverOf(await readReceiver(a.adminUrl, created.id))).toEqual(created)
      expect(b.auth.grantRequests).toHaveLength(2)
      expect(receiverOf(await readReceiver(a.adminUrl, created.id))).toEqual(created)
      expect(b.auth.grantRequests).toHaveLength(2)
    })

    it('rotates an expired token instead of requesting a new grant', async () => {
      b.auth.expireTokensIn(1)
      const created = payload<ReceiverJson>(
        await createReceiver(a.adminUrl, { walletAddressUrl: bWallet }),
        'createReceiver',
        'receiver',
      )
      // The stored token is still good (no expiry): no rotation, no new grant.
      const requests = b.auth.grantRequests.length
      expect(b.auth.rotations).toHaveLength(0)
      // Refused -> a new grant whose token expires in 1 s (expired at once for A's margin).
      b.auth.revoke(b.auth.issuedTokens.at(-1) ?? '')
      expect(receiverOf(await readReceiver(a.adminUrl, created.id)).id).toBe(created.id)
      expect(b.auth.grantRequests).toHaveLength(requests + 1)
      const expiring = b.auth.issuedTokens.at(-1)
      expect(receiverOf(await readReceiver(a.adminUrl, created.id)).id).toBe(created.id)
      expect(b.auth.rotations).toEqual([expiring])
      expect(b.auth.grantRequests).toHaveLength(requests + 1)
      b.auth.expireTokensIn(undefined)
    })

    it('answers what B does not know with NOT_FOUND', async () => {
      const missing = await readReceiver(
        a.adminUrl,
        `${b.opUrl}/incoming-payments/${crypto.randomUUID()}`,
      )
      expect(errorCode(missing)).toBe('NOT_FOUND')
      const noWallet = await createReceiver(a.adminUrl, {
        walletAddressUrl: `${b.opUrl}/nobody-${crypto.randomUUID()}`,
      })
      expect(errorCode(noWallet)).toBe('NOT_FOUND')
    })
  })
})
