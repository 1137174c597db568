// Node A pays node B over ILP-over-HTTP: A's wallet address keeps USD, B's EUR, and the two
// nodes are peered in EUR, so A's connector converts with the rates server's 0.91. A resolves B's
// incoming payments through B's Open Payments API (grants from B's test authorization server)
// and quotes them by probing the path with STREAM through its own connector.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorCode, gql, type GraphqlReply } from '../support/graphql-client.ts'
import { createPeer } from '../support/ilp-e2e.ts'
import {
  bootOpenPaymentsNode,
  createAsset,
  createWalletAddress,
  depositAssetLiquidity,
  payload,
  type OpenPaymentsNode,
} from '../support/open-payments-e2e.ts'
import { startFundingAse, type FundingAse } from '../support/funding-ase.ts'
import { startRatesServer, type RatesServer } from '../support/rates-server.ts'
import { testNodeTargets } from '../support/test-node.ts'

type AmountJson = { value: string; assetCode: string; assetScale: number }
type QuoteJson = {
  id: string
  receiver: string
  debitAmount: AmountJson
  receiveAmount: AmountJson
  estimatedExchangeRate: number
}

const deposit = 1_000_000n
const slippage = 0.01
const quoteFields = `id receiver estimatedExchangeRate
  debitAmount { value assetCode assetScale } receiveAmount { value assetCode assetScale }`

type Side = {
  readonly node: OpenPaymentsNode
  readonly assets: Map<string, string>
  readonly walletUrl: string
  readonly walletId: string
}

describe.each(testNodeTargets('two-node payments e2e'))(
  'payments from node A to node B ($name)',
  ({ env }) => {
    let ratesServer: RatesServer
    let ase: FundingAse
    let a: Side
    let b: Side

    async function bootSide(
      name: 'a' | 'b',
      home: string,
      extra: (opUrl: string) => Record<string, string>,
    ): Promise<Side> {
      const node = await bootOpenPaymentsNode((opUrl) => ({
        ...env,
        ILP_ADDRESS: `test.${name}`,
        STREAM_SECRET: randomBytes(32).toString('base64'),
        EXCHANGE_RATES_URL: `${ratesServer.url}/${name}`,
        SLIPPAGE: String(slippage),
        ...extra(opUrl),
      }))
      const assets = new Map<string, string>()
      for (const code of new Set([home, 'EUR'])) {
        const assetId = await createAsset(node.adminUrl, code)
        await depositAssetLiquidity(node.adminUrl, assetId, deposit)
        assets.set(code, assetId)
      }
      const walletUrl = `${node.opUrl}/${name}-wallet-${crypto.randomUUID()}`
      const walletId = await createWalletAddress(node.adminUrl, assets.get(home) ?? '', walletUrl)
      return { node, assets, walletUrl, walletId }
    }

    beforeAll(async () => {
      ratesServer = await startRatesServer({ USD: { EUR: 0.91 }, EUR: { USD: 1 / 0.91 } })
      ase = await startFundingAse(() => a.node.adminUrl)
      a = await bootSide('a', 'USD', (opUrl) => ({
        WEBHOOK_URL: ase.url,
        WALLET_ADDRESS_URL: `${opUrl}/.well-known/pay`,
        KEY_ID: `node-a-${crypto.randomUUID()}`,
      }))
      b = await bootSide('b', 'EUR', () => ({}))
      const [ab, ba] = [`ab-${crypto.randomUUID()}`, `ba-${crypto.randomUUID()}`]
      const connectorUrl = (side: Side) => `http://127.0.0.1:${side.node.ports.connector}/`
      await createPeer(a.node.adminUrl, {
        assetId: a.assets.get('EUR') ?? '',
        staticIlpAddress: 'test.b',
        incomingToken: ba,
        outgoing: { endpoint: connectorUrl(b), authToken: ab },
        initialLiquidity: deposit.toString(),
      })
      await createPeer(b.node.adminUrl, {
        assetId: b.assets.get('EUR') ?? '',
        staticIlpAddress: 'test.a',
        incomingToken: ab,
        outgoing: { endpoint: connectorUrl(a), authToken: ba },
        initialLiquidity: deposit.toString(),
      })
    })
    afterAll(async () => {
      await a?.node.stop()
      await b?.node.stop()
      await ratesServer?.close()
      await ase?.close()
    })

    const createReceiver = async (incomingAmount: AmountJson | null): Promise<string> => {
      const reply = await gql(
        a.node.adminUrl,
        `mutation ($input: CreateReceiverInput!) { createReceiver(input: $input) { receiver { id } } }`,
        { input: { walletAddressUrl: b.walletUrl, ...(incomingAmount && { incomingAmount }) } },
      )
      return payload<{ id: string }>(reply, 'createReceiver', 'receiver').id
    }
    const createQuote = (
      input: Record<string, unknown>,
      walletAddressId = a.walletId,
    ): Promise<GraphqlReply> =>
      gql(
        a.node.adminUrl,
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { ${quoteFields} } } }`,
        { input: { walletAddressId, ...input } },
      )

    it('quotes a fixed receive amount at B over ILP: the probed rate less slippage', async () => {
      const receiver = await createReceiver({ value: '50000', assetCode: 'EUR', assetScale: 2 })
      const quote = payload<QuoteJson>(await createQuote({ receiver }), 'createQuote', 'quote')
      expect(quote.receiveAmount).toEqual({ value: '50000', assetCode: 'EUR', assetScale: 2 })
      // Locally 500 EUR cost 550 USD at 0.91; over ILP the rate is the probed one less 1%.
      const debit = BigInt(quote.debitAmount.value)
      expect(quote.debitAmount.assetCode).toBe('USD')
      expect(debit).toBe(BigInt(Math.ceil(50_000 / (0.91 * (1 - slippage)))))
      expect(debit).toBeGreaterThan(55_000n)
      expect(quote.estimatedExchangeRate).toBeCloseTo(0.91, 4)
    })

    it('quotes a fixed debit amount at B: what arrives at the minimum rate', async () => {
      const receiver = await createReceiver(null)
      const quote = payload<QuoteJson>(
        await createQuote({
          receiver,
          debitAmount: { value: '10000', assetCode: 'USD', assetScale: 2 },
        }),
        'createQuote',
        'quote',
      )
      expect(quote.debitAmount.value).toBe('10000')
      expect(BigInt(quote.receiveAmount.value)).toBe(
        BigInt(Math.floor(10_000 * 0.91 * (1 - slippage))),
      )
    })

    type PaymentJson = { id: string; state: string; error: string | null; sentAmount: AmountJson }

    /** Creates the outgoing payment at A and waits for its end; A's ASE funds it. */
    async function pay(quote: QuoteJson, walletAddressId = a.walletId): Promise<PaymentJson> {
      const created = payload<PaymentJson>(
        await gql(
          a.node.adminUrl,
          `mutation ($input: CreateOutgoingPaymentInput!) {
          createOutgoingPayment(input: $input) { payment { id state } } }`,
          { input: { walletAddressId, quoteId: quote.id } },
        ),
        'createOutgoingPayment',
        'payment',
      )
      // No funding step here: A's test ASE funds it when it hears outgoing_payment.created.
      const deadline = Date.now() + 20_000
      for (;;) {
        const reply = await gql(
          a.node.adminUrl,
          `query ($id: String!) { outgoingPayment(id: $id) {
          id state error sentAmount { value assetCode assetScale } } }`,
          { id: created.id },
        )
        const payment = reply.data?.['outgoingPayment'] as PaymentJson
        if (payment.state === 'COMPLETED' || payment.state === 'FAILED') return payment
        if (Date.now() > deadline) throw new Error(`payment still ${payment.state}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    const incomingAtB = async (receiver: string) => {
      const reply = await gql(
        b.node.adminUrl,
        `query ($id: String!) { incomingPayment(id: $id) { state receivedAmount { value } } }`,
        { id: receiver.split('/').at(-1) },
      )
      return reply.data?.['incomingPayment'] as { state: string; receivedAmount: { value: string } }
    }

    it('pays 500 EUR at B from USD at A over ILP, never below the quote nor above its debit', async () => {
      const receiver = await createReceiver({ value: '50000', assetCode: 'EUR', assetScale: 2 })
      const quote = payload<QuoteJson>(await createQuote({ receiver }), 'createQuote', 'quote')
      const payment = await pay(quote)
      expect(payment).toMatchObject({ state: 'COMPLETED', error: null })
      const sent = BigInt(payment.sentAmount.value)
      expect(sent).toBeGreaterThan(0n)
      expect(sent).toBeLessThanOrEqual(BigInt(quote.debitAmount.value))
      const atB = await incomingAtB(receiver)
      expect(atB.state).toBe('COMPLETED')
      // Packets are sized by the probed rate, so the last one does not overpay by the slippage.
      expect(atB.receivedAmount.value).toBe('50000')
    })

    it('pays a fixed debit to an open-ended incoming payment at B: all of it, at least the quote', async () => {
      const receiver = await createReceiver(null)
      const quote = payload<QuoteJson>(
        await createQuote({
          receiver,
          debitAmount: { value: '10000', assetCode: 'USD', assetScale: 2 },
        }),
        'createQuote',
        'quote',
      )
      const payment = await pay(quote)
      expect(payment).toMatchObject({ state: 'COMPLETED', sentAmount: { value: '10000' } })
      const atB = await incomingAtB(receiver)
      expect(BigInt(atB.receivedAmount.value)).toBeGreaterThanOrEqual(
        BigInt(quote.receiveAmount.value),
      )
      expect(BigInt(atB.receivedAmount.value)).toBeLessThanOrEqual(9_100n)
    })

    it('pays in the same currency end to end: EUR at A to EUR at B', async () => {
      const eurWallet = await createWalletAddress(
        a.node.adminUrl,
        a.assets.get('EUR') ?? '',
        `${a.node.opUrl}/a-eur-${crypto.randomUUID()}`,
      )
      const receiver = await createReceiver({ value: '50000', assetCode: 'EUR', assetScale: 2 })
      const quote = payload<QuoteJson>(
        await createQuote({ receiver }, eurWallet),
        'createQuote',
        'quote',
      )
      // Over ILP even one currency keeps the slippage margin: 500 / 0.99 at most.
      expect(quote.debitAmount).toEqual({ value: '50506', assetCode: 'EUR', assetScale: 2 })
      const payment = await pay(quote, eurWallet)
      expect(payment).toMatchObject({ state: 'COMPLETED', sentAmount: { value: '50000' } })
      const atB = await incomingAtB(receiver)
      expect(atB).toEqual({ state: 'COMPLETED', receivedAmount: { value: '50000' } })
    })

    it('refuses a receiver the path cannot reach', async () => {
      const receiver = `${b.node.opUrl}/incoming-payments/${crypto.randomUUID()}`
      expect(errorCode(await createQuote({ receiver }))).toBe('BAD_USER_INPUT')
    })
  },
)
