import { createSchema, createYoga } from 'graphql-yoga'
import { seedWalletAddress } from '../../../test/support/seed.ts'
import { describe, expect, it } from 'vitest'
import { makeRunIdempotent } from '../../../application/admin/run-idempotent.ts'
import { makeApproveIncomingPayment } from '../../../application/incoming-payments/approve-incoming-payment.ts'
import { makeCancelIncomingPayment } from '../../../application/incoming-payments/cancel-incoming-payment.ts'
import { makeCreateIncomingPayment } from '../../../application/incoming-payments/create-incoming-payment.ts'
import { makeGetIncomingPayment } from '../../../application/incoming-payments/get-incoming-payment.ts'
import { makeListIncomingPayments } from '../../../application/incoming-payments/list-incoming-payments.ts'
import { makeUpdateIncomingPayment } from '../../../application/incoming-payments/update-incoming-payment.ts'
import { makeGetLiquidity } from '../../../application/liquidity/get-liquidity.ts'
import { makeFakeClock } from '../../memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../memory/memory-asset-repository.ts'
import { makeMemoryCache } from '../../memory/memory-cache.ts'
import { makeMemoryIncomingPaymentRepository } from '../../memory/memory-incoming-payment-repository.ts'
import { makeMemoryLedger } from '../../memory/memory-ledger.ts'
import { makeMemoryLocks } from '../../memory/memory-locks.ts'
import { makeMemoryUnitOfWork } from '../../memory/memory-unit-of-work.ts'
import { makeMemoryWalletAddressRepository } from '../../memory/memory-wallet-address-repository.ts'
import { makeMemoryWebhookEventRepository } from '../../memory/memory-webhook-event-repository.ts'
import { makeMemoryWorkSignal } from '../../memory/memory-work-signal.ts'
import { randomIds } from '../../system/random-ids.ts'
import { amountTypeDefs } from '../amount-schema.ts'
import { baseTypeDefs } from '../base-schema.ts'
import { JSONObject, UInt64, UInt8 } from '../scalars.ts'
import { makeIncomingPaymentResolvers } from './incoming-payment-resolvers.ts'
import { incomingPaymentTypeDefs } from './incoming-payment-schema.ts'

const setup = async () => {
  const clock = makeFakeClock()
  const incomingPayments = makeMemoryIncomingPaymentRepository()
  const walletAddresses = makeMemoryWalletAddressRepository()
  const deps = {
    walletAddresses,
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    unitOfWork: makeMemoryUnitOfWork({
      incomingPayments,
      webhookEvents: makeMemoryWebhookEventRepository(),
      walletAddresses,
    }),
    incomingPayments,
    signal: makeMemoryWorkSignal(),
    clock,
    ids: randomIds,
    expiryMaxMs: 60_000,
  }
  const seeded = await seedWalletAddress(deps, clock)
  const resolvers = makeIncomingPaymentResolvers({
    runIdempotent: makeRunIdempotent({
      cache: makeMemoryCache(clock),
      locks: makeMemoryLocks(clock),
      keyTtlMs: 60_000,
      lockTtlMs: 2_000,
    }),
    createIncomingPayment: makeCreateIncomingPayment(deps),
    updateIncomingPayment: makeUpdateIncomingPayment(deps),
    approveIncomingPayment: makeApproveIncomingPayment(deps),
    cancelIncomingPayment: makeCancelIncomingPayment(deps),
    getIncomingPayment: makeGetIncomingPayment(deps),
    listIncomingPayments: makeListIncomingPayments(deps),
    getLiquidity: makeGetLiquidity(deps),
  })
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: [baseTypeDefs, amountTypeDefs, incomingPaymentTypeDefs],
      resolvers: [{ UInt8, UInt64, JSONObject }, resolvers],
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
      errors?: { extensions?: { code?: string } }[]
    }
  }
  return { call, walletAddressId: seeded.walletAddress.id }
}

const fields = `id walletAddressId state expiresAt metadata createdAt liquidity
  incomingAmount { value assetCode assetScale } receivedAmount { value assetCode assetScale }`
const create = `mutation ($input: CreateIncomingPaymentInput!) {
  createIncomingPayment(input: $input) { payment { ${fields} } } }`

describe('incoming payment GraphQL', () => {
  it('creates, reads, updates, approves and cancels', async () => {
    const { call, walletAddressId } = await setup()
    const incomingAmount = { value: '500', assetCode: 'USD', assetScale: 2 }
    const created = await call(create, {
      input: { walletAddressId, incomingAmount, metadata: { a: 1 }, idempotencyKey: 'k1' },
    })
    const payment = (created.data?.['createIncomingPayment'] as { payment: { id: string } }).payment
    expect(payment).toMatchObject({
      walletAddressId,
      state: 'PENDING',
      incomingAmount,
      receivedAmount: { value: '0', assetCode: 'USD', assetScale: 2 },
      metadata: { a: 1 },
      liquidity: '0',
    })
    const read = await call(`query ($id: String!) { incomingPayment(id: $id) { ${fields} } }`, {
      id: payment.id,
    })
    expect(read.data?.['incomingPayment']).toEqual(payment)
    const updated = await call(
      `mutation ($input: UpdateIncomingPaymentInput!) {
        updateIncomingPayment(input: $input) { payment { metadata } } }`,
      { input: { id: payment.id, metadata: { b: 2 } } },
    )
    expect(updated.data?.['updateIncomingPayment']).toEqual({ payment: { metadata: { b: 2 } } })
    const approve = `mutation ($input: ApproveIncomingPaymentInput!) {
      approveIncomingPayment(input: $input) { payment { id } } }`
    expect((await call(approve, { input: { id: payment.id } })).errors).toBeUndefined()
    const cancelled = await call(
      `mutation ($input: CancelIncomingPaymentInput!) {
        cancelIncomingPayment(input: $input) { payment { id } } }`,
      { input: { id: payment.id } },
    )
    expect(cancelled.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })

  it.each([
    [{ walletAddressId: '6f1c2e8a-6b8e-4a7e-9d0e-1b2c3d4e5f60' }, 'NOT_FOUND'],
    [{ expiresAt: 'not a date' }, 'BAD_USER_INPUT'],
    [{ incomingAmount: { value: '1', assetCode: 'EUR', assetScale: 2 } }, 'BAD_USER_INPUT'],
  ])('refuses %o with %s', async (override, code) => {
    const { call, walletAddressId } = await setup()
    const result = await call(create, { input: { walletAddressId, ...override } })
    expect(result.errors?.[0]?.extensions?.code).toBe(code)
  })

  it('answers NOT_FOUND for an unknown payment', async () => {
    const { call } = await setup()
    const result = await call(`query ($id: String!) { incomingPayment(id: $id) { id } }`, {
      id: 'nope',
    })
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND')
  })
})

describe('incoming payment type definitions', () => {
  it('merge with the other features into one admin schema', async () => {
    const { assetTypeDefs } = await import('../assets/asset-schema.ts')
    const { liquidityTypeDefs } = await import('../liquidity/liquidity-schema.ts')
    const { webhookTypeDefs } = await import('../webhooks/webhook-schema.ts')
    const { walletAddressTypeDefs } = await import('../wallet-addresses/wallet-address-schema.ts')
    const schema = createSchema({
      typeDefs: [
        baseTypeDefs,
        assetTypeDefs,
        liquidityTypeDefs,
        webhookTypeDefs,
        walletAddressTypeDefs,
        amountTypeDefs,
        incomingPaymentTypeDefs,
      ],
      resolvers: [{ UInt8, UInt64, JSONObject }],
    })
    const walletAddress = schema.getType('WalletAddress')
    expect(
      walletAddress && 'getFields' in walletAddress && walletAddress.getFields(),
    ).toHaveProperty('incomingPayments')
  })
})
