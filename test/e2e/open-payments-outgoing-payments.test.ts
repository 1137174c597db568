import { getResourceServerOpenAPI, type OutgoingPayment } from '@interledger/open-payments'
import type { OpenAPI } from '@interledger/openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gql } from '../support/graphql-client.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
  sendRaw,
  type OpenPaymentsNode,
  newClient as newTestClient,
  type TestClient,
} from '../support/open-payments-e2e.ts'
import type { TestAccessItem } from '../support/test-auth-server.ts'
import { testNodeTargets } from '../support/test-node.ts'
import { startWebhookReceiver } from '../support/webhook-receiver.ts'

const usd = (value: number | string) => ({ value: String(value), assetCode: 'USD', assetScale: 2 })

type Client = TestClient
type ErrorBody = { error?: { code?: string; description?: string } }
type Limits = Record<string, unknown>

describe.each(testNodeTargets('open-payments-outgoing-payments e2e'))(
  'Open Payments outgoing payments with the real client ($name)',
  ({ env }) => {
    let node: OpenPaymentsNode
    let ase: Awaited<ReturnType<typeof startWebhookReceiver>>
    let spec: OpenAPI
    let usdAssetId: string
    let bobUrl: string
    let app: Client
    let otherApp: Client

    const issue = (items: TestAccessItem[], client = app.url) =>
      node.auth.issue(`token-${crypto.randomUUID()}`, { client, access: items })
    const outgoingGrant = (identifier: string, actions: string[], limits?: Limits) =>
      issue([{ type: 'outgoing-payment', actions, identifier, ...(limits && { limits }) }])

    /** A new USD wallet address for one test, so its payments are the test's alone. */
    const newAlice = async () => {
      const url = `${node.opUrl}/alice-${crypto.randomUUID()}`
      await createWalletAddress(node.adminUrl, usdAssetId, url)
      return url
    }
    /** A new open-ended incoming payment on bob's wallet address. */
    const incomingPayment = async () => {
      const accessToken = issue([
        { type: 'incoming-payment', actions: ['create'], identifier: bobUrl },
      ])
      return (
        await app.op.incomingPayment.create(
          { url: node.opUrl, accessToken },
          {
            walletAddress: bobUrl,
          },
        )
      ).id
    }
    const quote = async (alice: string, debit: number, receiver?: string) => {
      const accessToken = issue([{ type: 'quote', actions: ['create'], identifier: alice }])
      return app.op.quote.create(
        { url: node.opUrl, accessToken },
        {
          walletAddress: alice,
          receiver: receiver ?? (await incomingPayment()),
          method: 'ilp',
          debitAmount: usd(debit),
        },
      )
    }
    const postPayment = (body: unknown, accessToken: string, client = app) =>
      sendRaw({
        method: 'POST',
        url: `${node.opUrl}/outgoing-payments`,
        accessToken,
        body: JSON.stringify(body),
        key: client.key,
      })
    /** Every outgoing payment of the wallet address, as the admin API lists them. */
    const adminPayments = async (alice: string) => {
      const reply = await gql(
        node.adminUrl,
        `query ($url: String!) { walletAddressByUrl(url: $url) {
          outgoingPayments(first: 100) { edges { node { id state } } } } }`,
        { url: alice },
      )
      const wallet = reply.data?.['walletAddressByUrl'] as {
        outgoingPayments: { edges: { node: { id: string; state: string } }[] }
      }
      return wallet.outgoingPayments.edges.map((edge) => edge.node)
    }
    /** Polls the payment through Open Payments until all its debit amount went. */
    const sent = async (payment: OutgoingPayment, accessToken: string) => {
      const deadline = Date.now() + 10_000
      for (;;) {
        const read = await app.op.outgoingPayment.get({ url: payment.id, accessToken })
        if (read.sentAmount.value === read.debitAmount.value || read.failed) return read
        if (Date.now() > deadline) throw new Error(`payment ${payment.id} not sent`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    const expectSpecValid = async (path: string, method: string, response: Response) => {
      const body: unknown = await response.clone().json()
      const validate = spec.createResponseValidator({ path, method: method as never })
      expect(validate({ status: response.status, body })).toBe(true)
    }
    const newClient = () => newTestClient(node, usdAssetId)

    beforeAll(async () => {
      spec = await getResourceServerOpenAPI()
      // The test ASE funds every payment as soon as it hears of it, as Rafiki's ASEs do.
      ase = await startWebhookReceiver({
        async onWebhook(body) {
          const id = body.data['id']
          if (body.type !== 'outgoing_payment.created' || typeof id !== 'string') return
          const reply = await gql(
            node.adminUrl,
            `mutation ($input: DepositOutgoingPaymentLiquidityInput!) {
              depositOutgoingPaymentLiquidity(input: $input) { success } }`,
            { input: { outgoingPaymentId: id, idempotencyKey: crypto.randomUUID() } },
          )
          if (reply.errors) throw new Error(JSON.stringify(reply.errors))
        },
      })
      node = await bootOpenPaymentsNode({
        ...env,
        ILP_ADDRESS: 'test.op-outgoing',
        WEBHOOK_URL: ase.url,
        WALLET_ADDRESS_LOOKUP_TIMEOUT_MS: '200',
      })
      usdAssetId = await createAsset(node.adminUrl, 'USD')
      bobUrl = `${node.opUrl}/bob-${crypto.randomUUID()}`
      await createWalletAddress(node.adminUrl, usdAssetId, bobUrl)
      app = await newClient()
      otherApp = await newClient()
    })
    afterAll(async () => {
      await node?.stop()
      await ase?.close()
    })

    it('pays a quote under a debit limit, refuses what would exceed it, and reports the spent amounts', async () => {
      const alice = await newAlice()
      const accessToken = outgoingGrant(alice, ['create', 'read'], { debitAmount: usd(1000) })
      const first = await quote(alice, 600)
      const created = await app.op.outgoingPayment.create(
        { url: node.opUrl, accessToken },
        { walletAddress: alice, quoteId: first.id, metadata: { order: 1 } },
      )
      expect(created).toEqual({
        id: `${node.opUrl}/outgoing-payments/${first.id.split('/').at(-1)}`,
        walletAddress: alice,
        quoteId: first.id,
        failed: false,
        receiver: first.receiver,
        receiveAmount: usd(600),
        debitAmount: usd(600),
        sentAmount: usd(0),
        grantSpentDebitAmount: usd(0),
        grantSpentReceiveAmount: usd(0),
        metadata: { order: 1 },
        createdAt: expect.any(String),
      })

      // 600 + 500 > 1000: refused, and nothing is created.
      const second = await quote(alice, 500)
      const refused = await postPayment({ walletAddress: alice, quoteId: second.id }, accessToken)
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as ErrorBody).error).toEqual({
        code: 'insufficient_grant',
        description: 'unauthorized',
      })
      expect((await adminPayments(alice)).map((p) => p.id)).toEqual([created.id.split('/').at(-1)])

      // 600 + 400 = 1000: exactly the limit.
      const third = await quote(alice, 400)
      const last = await app.op.outgoingPayment.create(
        { url: node.opUrl, accessToken },
        { walletAddress: alice, quoteId: third.id },
      )
      expect(last).toMatchObject({ grantSpentDebitAmount: usd(600), debitAmount: usd(400) })

      // The ASE funds them and they complete: the receiver got the money.
      for (const payment of [created, last]) {
        const done = await sent(payment, accessToken)
        expect(done).toMatchObject({ failed: false, sentAmount: done.debitAmount })
      }
      const incoming = await app.op.incomingPayment.get({
        url: first.receiver,
        accessToken: issue([{ type: 'incoming-payment', actions: ['read'], identifier: bobUrl }]),
      })
      expect(incoming.receivedAmount).toEqual(usd(600))

      expect(
        await app.op.outgoingPayment.getGrantSpentAmounts({ url: node.opUrl, accessToken }),
      ).toEqual({
        spentDebitAmount: usd(1000),
        spentReceiveAmount: usd(1000),
      })
      const response = await sendRaw({
        method: 'GET',
        url: `${node.opUrl}/outgoing-payment-grant`,
        accessToken,
        key: app.key,
      })
      await expectSpecValid('/outgoing-payment-grant', 'get', response)
      // Another grant has spent nothing.
      const fresh = outgoingGrant(alice, ['create'], { debitAmount: usd(1000) })
      expect(
        await app.op.outgoingPayment.getGrantSpentAmounts({ url: node.opUrl, accessToken: fresh }),
      ).toEqual({ spentDebitAmount: null, spentReceiveAmount: null })
    })

    it('lets exactly 3 of 10 concurrent payments through a grant whose limit allows 3', async () => {
      const alice = await newAlice()
      const accessToken = outgoingGrant(alice, ['create'], { debitAmount: usd(300) })
      const receiver = await incomingPayment()
      const quotes = await Promise.all(
        Array.from({ length: 10 }, () => quote(alice, 100, receiver)),
      )
      const responses = await Promise.all(
        quotes.map((q) => postPayment({ walletAddress: alice, quoteId: q.id }, accessToken)),
      )
      const statuses = responses.map((r) => r.status).sort()
      expect(statuses).toEqual([201, 201, 201, 403, 403, 403, 403, 403, 403, 403])
      expect(await adminPayments(alice)).toHaveLength(3)
      expect(
        await app.op.outgoingPayment.getGrantSpentAmounts({ url: node.opUrl, accessToken }),
      ).toMatchObject({ spentDebitAmount: usd(300) })
    })

    it('counts only the current interval: the previous one does not limit this one', async () => {
      const alice = await newAlice()
      // 4-second intervals since 2020: a payment in one does not count in the next.
      const windowMs = 4_000
      const limits = { debitAmount: usd(100), interval: 'R/2020-01-01T00:00:00Z/PT4S' }
      const accessToken = outgoingGrant(alice, ['create'], limits)
      const receiver = await incomingPayment()
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => quote(alice, 100, receiver)))
      const intervalStart = async () => {
        const wait = windowMs - (Date.now() % windowMs) + 50
        await new Promise((resolve) => setTimeout(resolve, wait))
      }
      const post = (quoteId: string) => postPayment({ walletAddress: alice, quoteId }, accessToken)
      await intervalStart()
      expect((await post(a!.id)).status).toBe(201)
      expect((await post(b!.id)).status).toBe(403)
      await intervalStart()
      expect(
        await app.op.outgoingPayment.getGrantSpentAmounts({ url: node.opUrl, accessToken }),
      ).toEqual({ spentDebitAmount: null, spentReceiveAmount: null })
      expect((await post(c!.id)).status).toBe(201)
      expect(
        await app.op.outgoingPayment.getGrantSpentAmounts({ url: node.opUrl, accessToken }),
      ).toEqual({ spentDebitAmount: usd(100), spentReceiveAmount: usd(100) })
      expect(await adminPayments(alice)).toHaveLength(2)
    })

    it('refuses a payment to another receiver than the grant names', async () => {
      const alice = await newAlice()
      const allowed = await incomingPayment()
      const accessToken = outgoingGrant(alice, ['create'], { receiver: allowed })
      const other = await quote(alice, 100)
      const refused = await postPayment({ walletAddress: alice, quoteId: other.id }, accessToken)
      expect(refused.status).toBe(403)
      expect(await adminPayments(alice)).toHaveLength(0)
      const ok = await quote(alice, 100, allowed)
      expect(
        (await postPayment({ walletAddress: alice, quoteId: ok.id }, accessToken)).status,
      ).toBe(201)
    })

    it('pays an incoming payment for a fixed debit without a quote of its own', async () => {
      const alice = await newAlice()
      const accessToken = outgoingGrant(alice, ['create', 'read'], { debitAmount: usd(250) })
      const receiver = await incomingPayment()
      const created = await app.op.outgoingPayment.create(
        { url: node.opUrl, accessToken },
        { walletAddress: alice, incomingPayment: receiver, debitAmount: usd(250) },
      )
      expect(created).toMatchObject({ receiver, debitAmount: usd(250), receiveAmount: usd(250) })
      expect((await sent(created, accessToken)).sentAmount).toEqual(usd(250))
      const again = await postPayment(
        { walletAddress: alice, incomingPayment: receiver, debitAmount: usd(1) },
        accessToken,
      )
      expect(again.status).toBe(403)
    })

    it("shows read and list grants only their client's payments; read-all and list-all see all", async () => {
      const alice = await newAlice()
      const accessToken = outgoingGrant(alice, ['create'])
      const ids: string[] = []
      for (const debit of [100, 200, 300]) {
        const q = await quote(alice, debit)
        const created = await app.op.outgoingPayment.create(
          { url: node.opUrl, accessToken },
          { walletAddress: alice, quoteId: q.id },
        )
        ids.push(created.id)
      }
      const token = (actions: string[]) =>
        issue([{ type: 'outgoing-payment', actions, identifier: alice }], otherApp.url)
      const read = (actions: string[]) =>
        sendRaw({ method: 'GET', url: ids[0]!, accessToken: token(actions), key: otherApp.key })
      const hidden = await read(['read'])
      expect(hidden.status).toBe(404)
      await expectSpecValid('/outgoing-payments/{id}', 'get', hidden)
      const seen = await read(['read-all'])
      expect(seen.status).toBe(200)
      await expectSpecValid('/outgoing-payments/{id}', 'get', seen)
      expect(
        await app.op.outgoingPayment.get({
          url: ids[0]!,
          accessToken: outgoingGrant(alice, ['read']),
        }),
      ).toMatchObject({ id: ids[0], walletAddress: alice, debitAmount: usd(100) })

      const list = (actions: string[], pagination?: { first: number; cursor?: string }) =>
        otherApp.op.outgoingPayment.list(
          { url: node.opUrl, walletAddress: alice, accessToken: token(actions) },
          pagination && { ...pagination, 'wallet-address': alice },
        )
      expect((await list(['list'])).result).toEqual([])
      const firstPage = await list(['list-all'], { first: 2 })
      expect(firstPage.result).toHaveLength(2)
      expect(firstPage.pagination).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
      const secondPage = await list(['list-all'], {
        first: 2,
        cursor: firstPage.pagination.endCursor!,
      })
      expect(secondPage.result).toHaveLength(1)
      expect(secondPage.pagination.hasNextPage).toBe(false)
      const listed = [...firstPage.result, ...secondPage.result].map((p) => p.id)
      expect(listed.sort()).toEqual([...ids].sort())
      const own = await app.op.outgoingPayment.list({
        url: node.opUrl,
        walletAddress: alice,
        accessToken: outgoingGrant(alice, ['list']),
      })
      expect(own.result).toHaveLength(3)
    })

    it('refuses a token without outgoing-payment create on the wallet address', async () => {
      const alice = await newAlice()
      const q = await quote(alice, 100)
      const body = { walletAddress: alice, quoteId: q.id }
      const quoteToken = issue([{ type: 'quote', actions: ['create'], identifier: alice }])
      const wrongType = await postPayment(body, quoteToken)
      expect(wrongType.status).toBe(403)
      expect(wrongType.headers.get('www-authenticate')).toBe(`GNAP as_uri=${node.auth.grantUrl}`)
      const otherWallet = await postPayment(body, outgoingGrant(bobUrl, ['create']))
      expect(otherWallet.status).toBe(403)
      const invalid = await postPayment({ walletAddress: alice }, outgoingGrant(alice, ['create']))
      expect(invalid.status).toBe(400)
      expect(await adminPayments(alice)).toHaveLength(0)
    })
  },
)
