import { randomBytes } from 'node:crypto'
import { createAuthenticatedClient } from '@interledger/open-payments'
import { createConnection, decodeReceipt, verifyReceipt } from 'ilp-protocol-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gql } from '../support/graphql-client.ts'
import { createPeer, httpPlugin, peerLiquidity } from '../support/ilp-e2e.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
  registerClientKey,
  type OpenPaymentsNode,
} from '../support/open-payments-e2e.ts'
import { testNodeTargets } from '../support/test-node.ts'
import { startWebhookReceiver } from '../support/webhook-receiver.ts'

describe.each(testNodeTargets('stream-receive e2e'))(
  'a real STREAM sender pays through our connector ($name)',
  ({ env }) => {
    let node: OpenPaymentsNode
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
    let assetCode: string
    let senderId: string
    let aliceUrl: string
    let aliceId: string
    let clientUrl: string
    let connectorUrl: string
    const senderToken = `sender-${crypto.randomUUID()}`

    beforeAll(async () => {
      receiver = await startWebhookReceiver()
      node = await bootOpenPaymentsNode({
        ...env,
        WEBHOOK_URL: receiver.url,
        WALLET_ADDRESS_WORKER_IDLE: '50',
        ILP_ADDRESS: 'test.node',
        STREAM_SECRET: randomBytes(32).toString('base64'),
      })
      connectorUrl = `http://127.0.0.1:${node.ports.connector}/`
      assetCode = `S${crypto.randomUUID().slice(0, 5)}`.toUpperCase()
      const assetId = await createAsset(node.adminUrl, assetCode)
      senderId = await createPeer(node.adminUrl, {
        assetId,
        staticIlpAddress: 'test.sender',
        incomingToken: senderToken,
        outgoing: { endpoint: 'http://127.0.0.1:9/unused', authToken: 'unused' },
        initialLiquidity: '100000',
      })
      aliceUrl = `${node.opUrl}/alice-${crypto.randomUUID()}`
      aliceId = await createWalletAddress(node.adminUrl, assetId, aliceUrl)
      clientUrl = `${node.opUrl}/app-${crypto.randomUUID()}`
      await registerClientKey(
        node.adminUrl,
        await createWalletAddress(node.adminUrl, assetId, clientUrl),
      )
    })
    afterAll(async () => {
      await node?.stop()
      await receiver?.close()
    })

    /** An incoming payment to alice through Open Payments, with its ilp method. */
    let opClient: ReturnType<typeof createAuthenticatedClient> | undefined
    async function incomingPaymentOf(value: string) {
      opClient ??= registerClientKey(node.adminUrl, (await walletAddressId(clientUrl)) ?? '').then(
        (key) =>
          createAuthenticatedClient({
            walletAddressUrl: clientUrl,
            privateKey: key.privateKey,
            keyId: key.keyId,
            useHttp: true,
            logLevel: 'silent',
          }),
      )
      const client = await opClient
      const accessToken = node.auth.issue(`t-${crypto.randomUUID()}`, {
        client: clientUrl,
        access: [{ type: 'incoming-payment', actions: ['create', 'read'], identifier: aliceUrl }],
      })
      const payment = await client.incomingPayment.create(
        { url: node.opUrl, accessToken },
        { walletAddress: aliceUrl, incomingAmount: { value, assetCode, assetScale: 2 } },
      )
      const [method] = payment.methods
      if (method?.type !== 'ilp') throw new Error('no ilp method')
      return { client, accessToken, payment, method }
    }

    /** A real STREAM sender's connection to the payment's ilp method, through the connector. */
    const connectTo = (method: { ilpAddress: string; sharedSecret: string }, maximum: string) =>
      createConnection({
        plugin: httpPlugin(connectorUrl, senderToken),
        destinationAccount: method.ilpAddress,
        sharedSecret: Buffer.from(method.sharedSecret, 'base64url'),
        maximumPacketAmount: maximum,
      })

    /** The payment as the admin API shows it: state, ledger liquidity, received amount. */
    const adminView = async (url: string) =>
      (
        await gql(
          node.adminUrl,
          `query ($id: String!) { incomingPayment(id: $id) { state liquidity receivedAmount { value } } }`,
          { id: url.split('/').at(-1) },
        )
      ).data

    it('completes an incoming payment with exactly its incoming amount', async () => {
      const { client, accessToken, payment, method } = await incomingPaymentOf('500')
      const before = await peerLiquidity(node.adminUrl, senderId)
      const connection = await connectTo(method, '120')
      const stream = connection.createStream()
      await stream.sendTotal(500)
      await connection.end()
      const read = await client.incomingPayment.get({ url: payment.id, accessToken })
      expect(read).toMatchObject({ completed: true, receivedAmount: { value: '500' } })
      expect(read.methods).toEqual([])
      expect(await peerLiquidity(node.adminUrl, senderId)).toBe(before - 500n)
      expect(await adminView(payment.id)).toEqual({
        incomingPayment: { state: 'COMPLETED', liquidity: '500', receivedAmount: { value: '500' } },
      })
    })

    it('takes no more than the incoming amount: bigger packets are scaled down, then refused', async () => {
      const { payment, method } = await incomingPaymentOf('100')
      const before = await peerLiquidity(node.adminUrl, senderId)
      const connection = await connectTo(method, '30')
      const stream = connection.createStream()
      // 30 + 30 + 30 fit; the next 30 would make 120 of 100: refused with F08, the sender
      // scales its packets down to the 10 that still fit, and the rest is refused.
      await expect(stream.sendTotal(130, { timeout: 10_000 })).rejects.toThrow()
      expect(stream.totalSent).toBe('100')
      connection.destroy()
      expect(await adminView(payment.id)).toEqual({
        incomingPayment: { state: 'COMPLETED', liquidity: '100', receivedAmount: { value: '100' } },
      })
      expect(await peerLiquidity(node.adminUrl, senderId)).toBe(before - 100n)
    })

    it('pays a wallet address found through SPSP, with receipts that verify', async () => {
      const receiptSecret = randomBytes(32)
      const response = await fetch(aliceUrl, {
        headers: {
          accept: 'application/spsp4+json',
          'receipt-nonce': randomBytes(16).toString('base64'),
          'receipt-secret': receiptSecret.toString('base64'),
        },
      })
      const spsp = (await response.json()) as {
        destination_account: string
        shared_secret: string
        receipts_enabled: boolean
      }
      expect(spsp.receipts_enabled).toBe(true)
      const connection = await createConnection({
        plugin: httpPlugin(connectorUrl, senderToken),
        destinationAccount: spsp.destination_account,
        sharedSecret: Buffer.from(spsp.shared_secret, 'base64'),
      })
      const stream = connection.createStream()
      await stream.sendTotal(300)
      const receipt = stream.receipt
      await connection.end()
      expect(receipt).toBeDefined()
      const verified = verifyReceipt(receipt ?? Buffer.alloc(0), receiptSecret)
      expect(verified.totalReceived.toString()).toBe('300')
      expect(decodeReceipt(receipt ?? Buffer.alloc(0)).streamId.toString()).toBe(
        stream.id.toString(),
      )
      const wallet = await gql(
        node.adminUrl,
        `query ($id: String!) { walletAddress(id: $id) { liquidity } }`,
        {
          id: aliceId,
        },
      )
      expect(wallet.data).toEqual({ walletAddress: { liquidity: '300' } })
      // The wallet-address worker reports the web-monetization money to the ASE.
      const deadline = Date.now() + 10_000
      const reported = () =>
        receiver.received.find((hook) => hook.body.type === 'wallet_address.web_monetization')
      while (!reported() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(reported()?.body.data).toMatchObject({
        walletAddress: { id: aliceId, receivedAmount: { value: '300', assetCode, assetScale: 2 } },
      })
    })

    async function walletAddressId(url: string): Promise<string | undefined> {
      const reply = await gql(
        node.adminUrl,
        `query ($url: String!) { walletAddressByUrl(url: $url) { id } }`,
        {
          url,
        },
      )
      return (reply.data?.['walletAddressByUrl'] as { id: string } | null)?.id
    }
  },
)
