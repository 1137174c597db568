import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql, type GraphqlReply } from '../support/graphql-client.ts'
import { createAsset, createWalletAddress, payload } from '../support/open-payments-e2e.ts'
import { startRatesServer, type RatesServer } from '../support/rates-server.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'

type AmountJson = { value: string; assetCode: string; assetScale: number }
type QuoteJson = {
  id: string
  walletAddressId: string
  receiver: string
  debitAmount: AmountJson
  receiveAmount: AmountJson
  estimatedExchangeRate: number
  createdAt: string
  expiresAt: string
}

const quoteFields = `id walletAddressId receiver estimatedExchangeRate createdAt expiresAt
  debitAmount { value assetCode assetScale } receiveAmount { value assetCode assetScale }`
const createQuoteMutation = `mutation ($input: CreateQuoteInput!) {
  createQuote(input: $input) { quote { ${quoteFields} } } }`

// OPEN_PAYMENTS_URL names no server: a receiver on this node is never fetched over HTTP.
const opUrl = 'https://op.example'
const lifespanMs = 120_000
const usd = (value: number): AmountJson => ({
  value: String(value),
  assetCode: 'USD',
  assetScale: 2,
})
const eur = (value: number): AmountJson => ({
  value: String(value),
  assetCode: 'EUR',
  assetScale: 2,
})

describe.each(testNodeTargets('admin-quotes e2e'))('admin API quotes, LOCAL ($name)', ({ env }) => {
  let ratesServer: RatesServer
  let node: Node & { readonly adminUrl: string }
  let usdAssetId: string
  let alice: string
  let bobUsd: string
  let bobEur: string

  const incomingPayment = async (
    walletAddressId: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> => {
    const reply = await gql(
      node.adminUrl,
      `mutation ($input: CreateIncomingPaymentInput!) {
        createIncomingPayment(input: $input) { payment { id } } }`,
      { input: { walletAddressId, ...extra } },
    )
    const { id } = payload<{ id: string }>(reply, 'createIncomingPayment', 'payment')
    return `${opUrl}/incoming-payments/${id}`
  }
  const createQuote = (input: Record<string, unknown>): Promise<GraphqlReply> =>
    gql(node.adminUrl, createQuoteMutation, { input: { walletAddressId: alice, ...input } })
  const quoteOf = (reply: GraphqlReply): QuoteJson =>
    payload<QuoteJson>(reply, 'createQuote', 'quote')

  beforeAll(async () => {
    ratesServer = await startRatesServer({ USD: { EUR: 0.91 } })
    node = await bootTestNode({
      ...env,
      OPEN_PAYMENTS_URL: opUrl,
      ILP_ADDRESS: 'test.quotes',
      EXCHANGE_RATES_URL: ratesServer.url,
      QUOTE_LIFESPAN: String(lifespanMs),
    })
    usdAssetId = await createAsset(node.adminUrl, 'USD')
    const eurAssetId = await createAsset(node.adminUrl, 'EUR')
    alice = await createWalletAddress(node.adminUrl, usdAssetId, `${opUrl}/alice`)
    bobUsd = await createWalletAddress(node.adminUrl, usdAssetId, `${opUrl}/bob`)
    bobEur = await createWalletAddress(node.adminUrl, eurAssetId, `${opUrl}/bob-eur`)
  })
  afterAll(async () => {
    await node?.stop()
    await ratesServer?.close()
  })

  it('quotes a fixed send in one currency, reads it back and lists it', async () => {
    const receiver = await incomingPayment(bobUsd)
    const quote = quoteOf(await createQuote({ receiver, debitAmount: usd(500) }))
    expect(quote).toMatchObject({
      walletAddressId: alice,
      receiver,
      debitAmount: usd(500),
      receiveAmount: usd(500),
      estimatedExchangeRate: 1,
    })
    expect(Date.parse(quote.expiresAt) - Date.parse(quote.createdAt)).toBe(lifespanMs)
    const read = await gql(
      node.adminUrl,
      `query ($id: String!) { quote(id: $id) { ${quoteFields} } }`,
      {
        id: quote.id,
      },
    )
    expect(read.data?.['quote']).toEqual(quote)
    const listed = await gql(
      node.adminUrl,
      `query ($id: String!) { walletAddress(id: $id) { quotes { edges { node { id } } } } }`,
      { id: alice },
    )
    expect(listed.data?.['walletAddress']).toEqual({
      quotes: { edges: [{ node: { id: quote.id } }] },
    })
  })

  it("USD->EUR 0.91: the receiver's 500 EUR cost 550 USD, with or without a receive amount", async () => {
    const receiver = await incomingPayment(bobEur, { incomingAmount: eur(500) })
    const implicit = quoteOf(await createQuote({ receiver }))
    expect(implicit).toMatchObject({ debitAmount: usd(550), receiveAmount: eur(500) })
    expect(implicit.estimatedExchangeRate).toBeCloseTo(0.91, 12)
    const explicit = quoteOf(await createQuote({ receiver, receiveAmount: eur(500) }))
    expect(explicit).toMatchObject({ debitAmount: usd(550), receiveAmount: eur(500) })
    // Fixed-send rounds the delivery down: 550 USD -> 500.5 -> 500 EUR.
    const sent = quoteOf(await createQuote({ receiver, debitAmount: usd(550) }))
    expect(sent).toMatchObject({ debitAmount: usd(550), receiveAmount: eur(500) })
  })

  it("caps the expiry at the receiver's", async () => {
    const expiresAt = new Date(Date.now() + 30_000).toISOString()
    const receiver = await incomingPayment(bobUsd, { expiresAt })
    const quote = quoteOf(await createQuote({ receiver, debitAmount: usd(5) }))
    expect(quote.expiresAt).toBe(expiresAt)
  })

  it("answers with Rafiki's codes and the minimum send amount", async () => {
    const receiver = await incomingPayment(bobEur, { incomingAmount: eur(500) })
    const tiny = await createQuote({ receiver, debitAmount: usd(1) })
    expect(tiny.errors?.[0]).toMatchObject({
      message: 'non-positive receive amount',
      extensions: { code: 'BAD_USER_INPUT', details: { minSendAmount: usd(2) } },
    })
    expect(errorCode(await createQuote({ receiver, receiveAmount: eur(501) }))).toBe(
      'BAD_USER_INPUT',
    )
    expect(errorCode(await createQuote({ receiver, debitAmount: eur(5) }))).toBe('BAD_USER_INPUT')
    const unknownReceiver = await createQuote({
      receiver: `${opUrl}/incoming-payments/${crypto.randomUUID()}`,
      debitAmount: usd(5),
    })
    expect(unknownReceiver.errors?.[0]).toMatchObject({
      message: 'invalid receiver',
      extensions: { code: 'BAD_USER_INPUT' },
    })
    const unknownWallet = await createQuote({
      walletAddressId: crypto.randomUUID(),
      receiver,
      debitAmount: usd(5),
    })
    expect(errorCode(unknownWallet)).toBe('NOT_FOUND')
    const missing = await gql(node.adminUrl, `query ($id: String!) { quote(id: $id) { id } }`, {
      id: crypto.randomUUID(),
    })
    expect(errorCode(missing)).toBe('NOT_FOUND')
  })

  it('adds the sending fee of the debit asset (runs last: the fee stays set)', async () => {
    const fee = await gql(
      node.adminUrl,
      `mutation ($input: SetFeeInput!) { setFee(input: $input) { fee { id } } }`,
      { input: { assetId: usdAssetId, type: 'SENDING', fee: { fixed: 10, basisPoints: 100 } } },
    )
    expect(fee.errors).toBeUndefined()
    const receiver = await incomingPayment(bobEur, { incomingAmount: eur(500) })
    // 550 sent on; fee = ceil(550 x 1%) + 10 = 16.
    const quote = quoteOf(await createQuote({ receiver, receiveAmount: eur(500) }))
    expect(quote).toMatchObject({ debitAmount: usd(566), receiveAmount: eur(500) })
    const sent = quoteOf(await createQuote({ receiver, debitAmount: usd(566) }))
    expect(sent).toMatchObject({ debitAmount: usd(566), receiveAmount: eur(500) })
  })
})
