import { getResourceServerOpenAPI } from '@interledger/open-payments'
import type { OpenAPI } from '@interledger/openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gql } from '../support/graphql-client.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
  payload,
  sendRaw,
  type OpenPaymentsNode,
  newClient as newTestClient,
  type TestClient,
} from '../support/open-payments-e2e.ts'
import { startRatesServer, type RatesServer } from '../support/rates-server.ts'
import type { TestAccessItem } from '../support/test-auth-server.ts'
import { testNodeTargets } from '../support/test-node.ts'

const lifespanMs = 120_000
const usd = (value: number | string) => ({ value: String(value), assetCode: 'USD', assetScale: 2 })
const eur = (value: number | string) => ({ value: String(value), assetCode: 'EUR', assetScale: 2 })

type Client = TestClient
type ErrorBody = { error?: { code?: string; description?: string; details?: unknown } }

describe.each(testNodeTargets('open-payments-quotes e2e'))(
  'Open Payments quotes with the real client ($name)',
  ({ env }) => {
    let node: OpenPaymentsNode
    let ratesServer: RatesServer
    let spec: OpenAPI
    let aliceUrl: string
    let aliceId: string
    let bobUrl: string
    let app: Client
    let otherApp: Client

    const issue = (
      actions: readonly string[],
      options: {
        identifier?: string
        client?: string
        active?: boolean
        type?: TestAccessItem['type']
      } = {},
    ) =>
      node.auth.issue(`token-${crypto.randomUUID()}`, {
        client: options.client ?? app.url,
        access: [
          {
            type: options.type ?? 'quote',
            actions,
            identifier: options.identifier ?? aliceUrl,
          },
        ],
        ...(options.active === false && { active: false }),
      })

    /** A new incoming payment on bob's (EUR) wallet address, created through Open Payments. */
    const incomingPayment = async (incomingAmount?: { value: string }) => {
      const accessToken = issue(['create'], { type: 'incoming-payment', identifier: bobUrl })
      const created = await app.op.incomingPayment.create(
        { url: node.opUrl, accessToken },
        {
          walletAddress: bobUrl,
          ...(incomingAmount && { incomingAmount: eur(incomingAmount.value) }),
        },
      )
      return created.id
    }

    /** The documented responses of `path` validate against the Open Payments spec. */
    const expectSpecValid = async (path: string, method: string, response: Response) => {
      const body: unknown = await response.clone().json()
      const validate = spec.createResponseValidator({ path, method: method as never })
      expect(validate({ status: response.status, body })).toBe(true)
    }

    const postQuote = (body: unknown, accessToken: string | undefined, signed = true) =>
      sendRaw({
        method: 'POST',
        url: `${node.opUrl}/quotes`,
        accessToken,
        body: JSON.stringify(body),
        key: signed ? app.key : undefined,
      })

    const quoteCount = async () => {
      const reply = await gql(
        node.adminUrl,
        `query ($id: String!) { walletAddress(id: $id) { quotes(first: 100) { edges { node { id } } } } }`,
        { id: aliceId },
      )
      const wallet = reply.data?.['walletAddress'] as { quotes: { edges: unknown[] } }
      return wallet.quotes.edges.length
    }

    const newClient = (assetId: string) => newTestClient(node, assetId)

    beforeAll(async () => {
      spec = await getResourceServerOpenAPI()
      ratesServer = await startRatesServer({ USD: { EUR: 0.91 } })
      node = await bootOpenPaymentsNode({
        ...env,
        ILP_ADDRESS: 'test.op-quotes',
        EXCHANGE_RATES_URL: ratesServer.url,
        QUOTE_LIFESPAN: String(lifespanMs),
        WALLET_ADDRESS_LOOKUP_TIMEOUT_MS: '200',
      })
      const usdAssetId = await createAsset(node.adminUrl, 'USD')
      const eurAssetId = await createAsset(node.adminUrl, 'EUR')
      aliceUrl = `${node.opUrl}/alice-${crypto.randomUUID()}`
      aliceId = await createWalletAddress(node.adminUrl, usdAssetId, aliceUrl)
      bobUrl = `${node.opUrl}/bob-${crypto.randomUUID()}`
      await createWalletAddress(node.adminUrl, eurAssetId, bobUrl)
      app = await newClient(usdAssetId)
      otherApp = await newClient(usdAssetId)
    })
    afterAll(async () => {
      await node?.stop()
      await ratesServer?.close()
    })

    it('quotes a local incoming payment, fixed receive and fixed debit, and reads it back', async () => {
      const receiver = await incomingPayment({ value: '500' })
      const accessToken = issue(['create', 'read'])
      const fixedReceive = await app.op.quote.create(
        { url: node.opUrl, accessToken },
        { walletAddress: aliceUrl, receiver, method: 'ilp', receiveAmount: eur(500) },
      )
      // USD->EUR 0.91: 500 EUR cost ceil(500 / 0.91) = 550 USD.
      expect(fixedReceive).toEqual({
        id: expect.stringMatching(new RegExp(`^${node.opUrl}/quotes/[0-9a-f-]{36}$`)),
        walletAddress: aliceUrl,
        receiver,
        receiveAmount: eur(500),
        debitAmount: usd(550),
        method: 'ilp',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      })
      expect(Date.parse(fixedReceive.expiresAt ?? '') - Date.parse(fixedReceive.createdAt)).toBe(
        lifespanMs,
      )
      expect(await app.op.quote.get({ url: fixedReceive.id, accessToken })).toEqual(fixedReceive)

      // Fixed debit rounds the delivery down: 550 USD -> 500.5 -> 500 EUR.
      const fixedDebit = await app.op.quote.create(
        { url: node.opUrl, accessToken },
        { walletAddress: aliceUrl, receiver, method: 'ilp', debitAmount: usd(550) },
      )
      expect(fixedDebit).toMatchObject({ debitAmount: usd(550), receiveAmount: eur(500) })
      expect(fixedDebit.id).not.toBe(fixedReceive.id)
      // No amount: what the receiver still expects.
      const implicit = await app.op.quote.create(
        { url: node.opUrl, accessToken },
        { walletAddress: aliceUrl, receiver, method: 'ilp' },
      )
      expect(implicit).toMatchObject({ debitAmount: usd(550), receiveAmount: eur(500) })

      // The admin API sees the same quote, on alice's wallet address.
      const admin = await gql(
        node.adminUrl,
        `query ($id: String!) { quote(id: $id) { walletAddressId receiver debitAmount { value } } }`,
        { id: fixedDebit.id.split('/').at(-1) },
      )
      expect(admin.data).toEqual({
        quote: { walletAddressId: aliceId, receiver, debitAmount: { value: '550' } },
      })
    })

    it("shows a read grant only its own client's quotes; read-all sees all", async () => {
      const receiver = await incomingPayment()
      const quote = await app.op.quote.create(
        { url: node.opUrl, accessToken: issue(['create']) },
        { walletAddress: aliceUrl, receiver, method: 'ilp', debitAmount: usd(100) },
      )
      const byAdmin = await gql(
        node.adminUrl,
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
        { input: { walletAddressId: aliceId, receiver, debitAmount: usd(100) } },
      )
      const adminQuoteUrl = `${node.opUrl}/quotes/${payload<{ id: string }>(byAdmin, 'createQuote', 'quote').id}`
      const read = (url: string, client: Client, actions: string[]) =>
        sendRaw({
          method: 'GET',
          url,
          accessToken: issue(actions, { client: client.url }),
          key: client.key,
        })

      expect((await read(quote.id, app, ['read'])).status).toBe(200)
      const othersQuote = await read(quote.id, otherApp, ['read'])
      expect(othersQuote.status).toBe(404)
      await expectSpecValid('/quotes/{id}', 'get', othersQuote)
      expect(((await othersQuote.json()) as ErrorBody).error?.code).toBe('not_found')
      expect((await read(adminQuoteUrl, app, ['read'])).status).toBe(404)

      const seen = await otherApp.op.quote.get({
        url: quote.id,
        accessToken: issue(['read-all'], { client: otherApp.url }),
      })
      expect(seen).toEqual(quote)
      const adminQuote = await read(adminQuoteUrl, app, ['read-all'])
      expect(adminQuote.status).toBe(200)
      await expectSpecValid('/quotes/{id}', 'get', adminQuote)
    })

    it('refuses requests without a valid, signed quote token for the wallet address', async () => {
      const receiver = await incomingPayment()
      const body = { walletAddress: aliceUrl, receiver, method: 'ilp', debitAmount: usd(100) }
      const before = await quoteCount()
      const refusals: [string, Response, number][] = [
        ['no token', await postQuote(body, undefined), 401],
        ['inactive token', await postQuote(body, issue(['create'], { active: false })), 401],
        ['unsigned', await postQuote(body, issue(['create']), false), 401],
        [
          'tampered body',
          await sendRaw({
            method: 'POST',
            url: `${node.opUrl}/quotes`,
            accessToken: issue(['create']),
            body: JSON.stringify(body),
            key: app.key,
            // Same length: only the signature can tell.
            tamperedBody: JSON.stringify({ ...body, debitAmount: usd(999) }),
          }),
          401,
        ],
        ['read only', await postQuote(body, issue(['read', 'read-all'])), 403],
        [
          'incoming-payment access',
          await postQuote(body, issue(['create', 'read'], { type: 'incoming-payment' })),
          403,
        ],
        [
          'another wallet address',
          await postQuote(body, issue(['create'], { identifier: bobUrl })),
          403,
        ],
      ]
      for (const [name, response, status] of refusals) {
        expect({ name, status: response.status }).toEqual({ name, status })
        expect(response.headers.get('www-authenticate')).toBe(`GNAP as_uri=${node.auth.grantUrl}`)
        await expectSpecValid('/quotes', 'post', response)
      }
      expect(await quoteCount()).toBe(before)

      const quote = await app.op.quote.create(
        { url: node.opUrl, accessToken: issue(['create']) },
        body as never,
      )
      const get = (accessToken: string | undefined) =>
        sendRaw({ method: 'GET', url: quote.id, accessToken, key: app.key })
      const getRefusals: [string, Response, number][] = [
        ['no token', await get(undefined), 401],
        ['create only', await get(issue(['create'])), 403],
        [
          'incoming-payment access',
          await get(issue(['read-all'], { type: 'incoming-payment' })),
          403,
        ],
        ['another wallet address', await get(issue(['read-all'], { identifier: bobUrl })), 403],
      ]
      for (const [name, response, status] of getRefusals) {
        expect({ name, status: response.status }).toEqual({ name, status })
        await expectSpecValid('/quotes/{id}', 'get', response)
      }
    })

    it("answers what cannot be quoted with Rafiki's codes and the minimum send amount", async () => {
      const receiver = await incomingPayment({ value: '500' })
      const accessToken = issue(['create'])
      const create = (body: Record<string, unknown>) =>
        app.op.quote.create({ url: node.opUrl, accessToken }, {
          walletAddress: aliceUrl,
          receiver,
          method: 'ilp',
          ...body,
        } as never)
      // 1 USD cent delivers 0.91 EUR cent, floored to nothing; 2 cents deliver one.
      await expect(create({ debitAmount: usd(1) })).rejects.toMatchObject({
        status: 400,
        code: 'non_positive_receive_amount',
        details: { minSendAmount: usd(2) },
      })
      await expect(create({ receiveAmount: eur(501) })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_amount',
      })
      await expect(create({ debitAmount: eur(5) })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_amount',
      })
      await expect(
        create({ receiver: `${node.opUrl}/incoming-payments/${crypto.randomUUID()}` }),
      ).rejects.toMatchObject({ status: 400, code: 'invalid_receiver' })
      const unknownWallet = `${node.opUrl}/nobody-${crypto.randomUUID()}`
      const missing = await postQuote(
        { walletAddress: unknownWallet, receiver, method: 'ilp', debitAmount: usd(5) },
        issue(['create'], { identifier: unknownWallet }),
      )
      expect(missing.status).toBe(404)
      const tiny = await postQuote(
        { walletAddress: aliceUrl, receiver, method: 'ilp', debitAmount: usd(1) },
        accessToken,
      )
      expect(tiny.status).toBe(400)
      await expectSpecValid('/quotes', 'post', tiny)
      expect(await tiny.json()).toEqual({
        error: {
          code: 'non_positive_receive_amount',
          description: 'non-positive receive amount',
          details: { minSendAmount: usd(2) },
        },
      })
    })

    it('validates create bodies as the Open Payments spec does', async () => {
      const specAccepts = spec.createRequestValidator({ path: '/quotes', method: 'post' as never })
      const receiver = await incomingPayment({ value: '500' })
      const accessToken = issue(['create'])
      const base = { walletAddress: aliceUrl, receiver, method: 'ilp' }
      const bodies: Record<string, unknown>[] = [
        base,
        { ...base, debitAmount: usd(100) },
        { ...base, receiveAmount: eur(100) },
        { ...base, debitAmount: usd(100), receiveAmount: eur(100) },
        { ...base, extra: true },
        { walletAddress: aliceUrl, receiver },
        { ...base, method: 'stream' },
        { ...base, receiver: `${node.opUrl}/quotes/${crypto.randomUUID()}` },
        { ...base, receiver: 'not a url' },
        { ...base, walletAddress: 'not a url' },
        { ...base, debitAmount: { ...usd(100), value: 100 } },
        { ...base, debitAmount: { value: '100', assetCode: 'USD' } },
        { ...base, receiveAmount: { ...eur(100), assetScale: 256 } },
        {},
      ]
      for (const body of bodies) {
        const text = JSON.stringify(body)
        let valid = true
        try {
          specAccepts({
            headers: { 'content-type': 'application/json', signature: 's', 'signature-input': 's' },
            body,
            query: {},
            params: {},
          })
        } catch {
          valid = false
        }
        const response = await postQuote(body, accessToken)
        expect({ text, status: response.status }).toEqual({ text, status: valid ? 201 : 400 })
        if (!valid) {
          expect(((await response.json()) as ErrorBody).error?.code).toBe('invalid_request')
        }
      }
      const notJson = await sendRaw({
        method: 'POST',
        url: `${node.opUrl}/quotes`,
        accessToken,
        body: '{"walletAddress":',
      })
      expect(notJson.status).toBe(400)
    })

    it('answers 404 for an unknown or malformed quote id', async () => {
      const accessToken = issue(['read-all'])
      for (const id of [crypto.randomUUID(), 'not-an-id']) {
        const response = await sendRaw({
          method: 'GET',
          url: `${node.opUrl}/quotes/${id}`,
          accessToken,
          key: app.key,
        })
        expect({ id, status: response.status }).toEqual({ id, status: 404 })
        await expectSpecValid('/quotes/{id}', 'get', response)
      }
    })
  },
)
