// Several replicas share one database: a payment funded through one replica must wake the
// sending workers of every replica at once (NOTIFY at commit), not at their next idle poll.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Logger } from '../../application/ports/logger.ts'
import { outgoingPaymentWorkTopic } from '../../application/outgoing-payments/work-topic.ts'
import { makePostgresWorkSignal } from '../../adapters/postgres/postgres-work-signal.ts'
import type { Node } from '../../runtimes/boot.ts'
import { describeWithPostgres, openTestPostgres, type TestPostgres } from '../support/databases.ts'
import { gql } from '../support/graphql-client.ts'
import { createAsset, createWalletAddress, payload } from '../support/open-payments-e2e.ts'
import { bootTestNode } from '../support/test-node.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const opUrl = 'https://op.example'
const usd = (value: number) => ({ value: String(value), assetCode: 'USD', assetScale: 2 })

describeWithPostgres('outgoing payments across replicas', () => {
  let database: TestPostgres
  let node: Node & { readonly adminUrl: string }

  beforeAll(async () => {
    const opened = await openTestPostgres()
    if (opened === undefined) throw new Error('TEST_DATABASE_URL vanished')
    database = opened
    node = await bootTestNode({
      DATABASE_URL: database.url,
      USE_TIGERBEETLE: 'false',
      OPEN_PAYMENTS_URL: opUrl,
      ILP_ADDRESS: 'test.replicas',
    })
  })
  afterAll(async () => {
    await node?.stop()
    await database?.close()
  })

  it("wakes another replica's sending workers when a payment is funded", async () => {
    // The other replica: a work signal of its own on the same database.
    const signal = makePostgresWorkSignal({ database, logger: silent })
    let wakes = 0
    const unsubscribe = signal.subscribe(outgoingPaymentWorkTopic, () => (wakes += 1))
    await signal.ready()
    await expect.poll(() => wakes).toBe(1) // LISTEN starting wakes once

    const admin = (query: string, variables: Record<string, unknown>) =>
      gql(node.adminUrl, query, variables)
    const assetId = await createAsset(node.adminUrl, 'USD')
    const alice = await createWalletAddress(node.adminUrl, assetId, `${opUrl}/alice`)
    const bob = await createWalletAddress(node.adminUrl, assetId, `${opUrl}/bob`)
    const incoming = payload<{ id: string }>(
      await admin(
        `mutation ($input: CreateIncomingPaymentInput!) {
          createIncomingPayment(input: $input) { payment { id } } }`,
        { input: { walletAddressId: bob, incomingAmount: usd(500) } },
      ),
      'createIncomingPayment',
      'payment',
    )
    const quote = payload<{ id: string }>(
      await admin(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
        {
          input: { walletAddressId: alice, receiver: `${opUrl}/incoming-payments/${incoming.id}` },
        },
      ),
      'createQuote',
      'quote',
    )
    const payment = payload<{ id: string }>(
      await admin(
        `mutation ($input: CreateOutgoingPaymentInput!) {
          createOutgoingPayment(input: $input) { payment { id } } }`,
        { input: { walletAddressId: alice, quoteId: quote.id } },
      ),
      'createOutgoingPayment',
      'payment',
    )
    expect(wakes).toBe(1)
    const funded = await admin(
      `mutation ($input: DepositOutgoingPaymentLiquidityInput!) {
        depositOutgoingPaymentLiquidity(input: $input) { success } }`,
      { input: { outgoingPaymentId: payment.id, idempotencyKey: crypto.randomUUID() } },
    )
    expect(funded.errors).toBeUndefined()
    await expect.poll(() => wakes, { timeout: 2_000 }).toBeGreaterThanOrEqual(2)
    unsubscribe()
    await signal.close()
  })
})
