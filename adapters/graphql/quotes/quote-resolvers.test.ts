import { createSchema, createYoga } from 'graphql-yoga'
import { describe, expect, it } from 'vitest'
import { makeRunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { CreateQuote, CreateQuoteInput } from '../../../application/quotes/create-quote.ts'
import { makeGetQuote } from '../../../application/quotes/get-quote.ts'
import { makeListQuotes } from '../../../application/quotes/list-quotes.ts'
import type { Quote } from '../../../domain/quotes/quote.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import { makeFakeClock } from '../../memory/fake-clock.ts'
import { makeMemoryCache } from '../../memory/memory-cache.ts'
import { makeMemoryLocks } from '../../memory/memory-locks.ts'
import { makeMemoryQuoteRepository } from '../../memory/memory-quote-repository.ts'
import { randomIds } from '../../system/random-ids.ts'
import { amountTypeDefs } from '../amount-schema.ts'
import { baseTypeDefs } from '../base-schema.ts'
import { JSONObject, UInt64, UInt8 } from '../scalars.ts'
import { makeQuoteResolvers } from './quote-resolvers.ts'
import { quoteTypeDefs } from './quote-schema.ts'

const walletAddressId = randomIds.uuid()
const at = new Date(Date.UTC(2025, 0, 1))

const localQuote = (input: CreateQuoteInput): Quote => ({
  id: randomIds.uuid(),
  walletAddressId: input.walletAddressId,
  receiver: input.receiver,
  client: null,
  method: 'LOCAL',
  debitAmount: { value: 550n, assetCode: 'USD', assetScale: 2 },
  debitAmountMinusFees: 550n,
  receiveAmount: { value: 500n, assetCode: 'EUR', assetScale: 2 },
  estimatedExchangeRate: 0.91,
  feeId: null,
  ilp: null,
  expiresAt: new Date(at.getTime() + 300_000),
  createdAt: at,
})

// createQuote's rules have their own tests: here it answers by the receiver URL it is given.
const setup = () => {
  const clock = makeFakeClock()
  const quotes = makeMemoryQuoteRepository()
  const createQuote: CreateQuote = async (input) => {
    if (input.receiver.endsWith('/tiny')) {
      const minSendAmount = { value: 2n, assetCode: 'USD', assetScale: 2 }
      return { ...err('non_positive_receive_amount' as const), minSendAmount }
    }
    if (input.receiver.endsWith('/remote')) return err('ilp_quoting_unavailable')
    if (input.walletAddressId !== walletAddressId) return err('unknown_wallet_address')
    return ok(await quotes.create(localQuote(input)))
  }
  const resolvers = makeQuoteResolvers({
    runIdempotent: makeRunIdempotent({
      cache: makeMemoryCache(clock),
      locks: makeMemoryLocks(clock),
      keyTtlMs: 60_000,
      lockTtlMs: 2_000,
    }),
    createQuote,
    getQuote: makeGetQuote({ quotes }),
    listQuotes: makeListQuotes({ quotes }),
  })
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: [
        baseTypeDefs,
        amountTypeDefs,
        quoteTypeDefs,
        'type Query { walletAddress(id: String!): WalletAddress } type WalletAddress { id: ID! }',
      ],
      resolvers: [
        { UInt8, UInt64, JSONObject },
        resolvers,
        { Query: { walletAddress: (_: unknown, args: { id: string }) => ({ id: args.id }) } },
      ],
    }),
    logging: false,
  })
  const call = async (query: string, variables: Record<string, unknown>) => {
    const response = await yoga.fetch('http://admin/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    })
    return (await response.json()) as {
      data?: Record<string, unknown>
      errors?: { message: string; extensions?: Record<string, unknown> }[]
    }
  }
  return { call }
}

const fields = `id walletAddressId receiver createdAt expiresAt estimatedExchangeRate
  debitAmount { value assetCode assetScale } receiveAmount { value assetCode assetScale }
  maxPacketAmount minExchangeRate lowEstimatedExchangeRate highEstimatedExchangeRate`
const create = `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { ${fields} } } }`
const receiver = 'https://wallet.example/bob/incoming-payments/abc'

describe('quote GraphQL', () => {
  it('creates a quote, reads it back and lists it under its wallet address', async () => {
    const { call } = setup()
    const receiveAmount = { value: '500', assetCode: 'EUR', assetScale: 2 }
    const created = await call(create, { input: { walletAddressId, receiver, receiveAmount } })
    const quote = (created.data?.['createQuote'] as { quote: { id: string } }).quote
    expect(quote).toEqual({
      id: expect.any(String),
      walletAddressId,
      receiver,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 300_000).toISOString(),
      estimatedExchangeRate: 0.91,
      debitAmount: { value: '550', assetCode: 'USD', assetScale: 2 },
      receiveAmount,
      maxPacketAmount: null,
      minExchangeRate: null,
      lowEstimatedExchangeRate: null,
      highEstimatedExchangeRate: null,
    })
    const read = await call(`query ($id: String!) { quote(id: $id) { ${fields} } }`, {
      id: quote.id,
    })
    expect(read.data?.['quote']).toEqual(quote)
    const listed = await call(
      `query ($id: String!) { walletAddress(id: $id) {
        quotes(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } } }`,
      { id: walletAddressId },
    )
    expect(listed.data?.['walletAddress']).toEqual({
      quotes: {
        edges: [{ cursor: quote.id, node: { id: quote.id } }],
        pageInfo: { hasNextPage: false },
      },
    })
  })

  it('answers a missing quote with NOT_FOUND', async () => {
    const { call } = setup()
    const read = await call(`query ($id: String!) { quote(id: $id) { id } }`, {
      id: randomIds.uuid(),
    })
    expect(read.errors?.[0]).toMatchObject({
      message: 'quote does not exist',
      extensions: { code: 'NOT_FOUND' },
    })
  })

  it("maps errors to Rafiki's codes, with minSendAmount in the details", async () => {
    const { call } = setup()
    const debitAmount = { value: '1', assetCode: 'USD', assetScale: 2 }
    const tiny = await call(create, {
      input: { walletAddressId, receiver: 'https://x.example/tiny', debitAmount },
    })
    expect(tiny.errors?.[0]).toMatchObject({
      message: 'non-positive receive amount',
      extensions: {
        code: 'BAD_USER_INPUT',
        details: { minSendAmount: { value: '2', assetCode: 'USD', assetScale: 2 } },
      },
    })
    const unknown = await call(create, {
      input: { walletAddressId: randomIds.uuid(), receiver, debitAmount },
    })
    expect(unknown.errors?.[0]).toMatchObject({
      message: 'unknown wallet address',
      extensions: { code: 'NOT_FOUND' },
    })
    const remote = await call(create, {
      input: { walletAddressId, receiver: 'https://x.example/remote', debitAmount },
    })
    expect(remote.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR')
  })
})
