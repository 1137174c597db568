import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Node } from '../../runtimes/boot.ts'
import { errorCode, gql } from '../support/graphql-client.ts'
import { auditAsset } from '../support/ledger-audit.ts'
import { createAsset, createWalletAddress, payload } from '../support/open-payments-e2e.ts'
import { startRatesServer, type RatesServer } from '../support/rates-server.ts'
import { bootTestNode, testNodeTargets } from '../support/test-node.ts'
import { startWebhookReceiver } from '../support/webhook-receiver.ts'

type AmountJson = { value: string; assetCode: string; assetScale: number }
type PaymentJson = {
  id: string
  state: string
  sentAmount: AmountJson
  debitAmount: AmountJson
  receiveAmount: AmountJson
  metadata: Record<string, unknown> | null
  liquidity: string | null
}

const opUrl = 'https://op.example'
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
const paymentFields = `id state metadata liquidity sentAmount { value assetCode assetScale }
  debitAmount { value assetCode assetScale } receiveAmount { value assetCode assetScale }`

describe.each(testNodeTargets('admin-outgoing-payments e2e'))(
  'admin API outgoing payments, LOCAL ($name)',
  ({ env }) => {
    let ratesServer: RatesServer
    let ase: Awaited<ReturnType<typeof startWebhookReceiver>>
    let node: Node & { readonly adminUrl: string }
    let usdAssetId: string
    let eurAssetId: string
    let alice: string
    let bobUsd: string
    let bobEur: string
    // The test ASE funds payments whose id is here; others it leaves FUNDING (cancel tests).
    const autoFund = new Set<string>()
    const paymentIds: string[] = []
    // Incoming payments by the wallet address (so by asset) they belong to.
    const incomingIds: { walletAddressId: string; id: string }[] = []

    const admin = (query: string, variables: Record<string, unknown>) =>
      gql(node.adminUrl, query, variables)
    const incomingPayment = async (walletAddressId: string, incomingAmount: AmountJson) => {
      const reply = await admin(
        `mutation ($input: CreateIncomingPaymentInput!) {
          createIncomingPayment(input: $input) { payment { id } } }`,
        { input: { walletAddressId, incomingAmount } },
      )
      const { id } = payload<{ id: string }>(reply, 'createIncomingPayment', 'payment')
      incomingIds.push({ walletAddressId, id })
      return { id, url: `${opUrl}/incoming-payments/${id}` }
    }
    const quote = async (receiver: string, amounts: Record<string, AmountJson>) => {
      const reply = await admin(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id
          debitAmount { value } receiveAmount { value } } } }`,
        { input: { walletAddressId: alice, receiver, ...amounts } },
      )
      return payload<{
        id: string
        debitAmount: { value: string }
        receiveAmount: { value: string }
      }>(reply, 'createQuote', 'quote')
    }
    const createPayment = async (quoteId: string, fund = true): Promise<PaymentJson> => {
      if (fund) autoFund.add(quoteId)
      const reply = await admin(
        `mutation ($input: CreateOutgoingPaymentInput!) {
          createOutgoingPayment(input: $input) { payment { ${paymentFields} } } }`,
        { input: { walletAddressId: alice, quoteId, metadata: { note: 'e2e' } } },
      )
      const payment = payload<PaymentJson>(reply, 'createOutgoingPayment', 'payment')
      paymentIds.push(payment.id)
      return payment
    }
    const read = async (id: string): Promise<PaymentJson> => {
      const reply = await admin(
        `query ($id: String!) { outgoingPayment(id: $id) { ${paymentFields} } }`,
        { id },
      )
      return reply.data?.['outgoingPayment'] as PaymentJson
    }
    const settled = async (id: string): Promise<PaymentJson> => {
      const deadline = Date.now() + 10_000
      for (;;) {
        const payment = await read(id)
        if (payment.state === 'COMPLETED' || payment.state === 'FAILED') return payment
        if (Date.now() > deadline) throw new Error(`payment ${id} still ${payment.state}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    const incoming = async (id: string) => {
      const reply = await admin(
        `query ($id: String!) { incomingPayment(id: $id) { state receivedAmount { value } } }`,
        { id },
      )
      return reply.data?.['incomingPayment'] as { state: string; receivedAmount: { value: string } }
    }

    beforeAll(async () => {
      ratesServer = await startRatesServer({ USD: { EUR: 0.91 } })
      ase = await startWebhookReceiver({
        async onWebhook(body) {
          const id = body.data['id']
          if (body.type !== 'outgoing_payment.created' || typeof id !== 'string') return
          if (!autoFund.has(id)) return
          const reply = await admin(
            `mutation ($input: DepositOutgoingPaymentLiquidityInput!) {
              depositOutgoingPaymentLiquidity(input: $input) { success } }`,
            { input: { outgoingPaymentId: id, idempotencyKey: crypto.randomUUID() } },
          )
          if (reply.errors) throw new Error(JSON.stringify(reply.errors))
        },
      })
      node = await bootTestNode({
        ...env,
        OPEN_PAYMENTS_URL: opUrl,
        ILP_ADDRESS: 'test.outgoing',
        EXCHANGE_RATES_URL: ratesServer.url,
        WEBHOOK_URL: ase.url,
      })
      usdAssetId = await createAsset(node.adminUrl, 'USD')
      eurAssetId = await createAsset(node.adminUrl, 'EUR')
      alice = await createWalletAddress(node.adminUrl, usdAssetId, `${opUrl}/alice`)
      bobUsd = await createWalletAddress(node.adminUrl, usdAssetId, `${opUrl}/bob`)
      bobEur = await createWalletAddress(node.adminUrl, eurAssetId, `${opUrl}/bob-eur`)
      // The EUR the node pays out for USD it takes in.
      const deposit = await admin(
        `mutation ($input: DepositAssetLiquidityInput!) { depositAssetLiquidity(input: $input) {
          success } }`,
        {
          input: {
            assetId: eurAssetId,
            amount: '100000',
            id: crypto.randomUUID(),
            idempotencyKey: crypto.randomUUID(),
          },
        },
      )
      expect(deposit.errors).toBeUndefined()
    })
    afterAll(async () => {
      await node?.stop()
      await ase?.close()
      await ratesServer?.close()
    })

    it('pays USD 500 to another wallet address on the node, driven by the ASE', async () => {
      const bob = await incomingPayment(bobUsd, usd(500))
      const q = await quote(bob.url, { receiveAmount: usd(500) })
      const created = await createPayment(q.id)
      expect(created).toMatchObject({ state: 'FUNDING', debitAmount: usd(500), sentAmount: usd(0) })
      const payment = await settled(created.id)
      expect(payment).toMatchObject({ state: 'COMPLETED', sentAmount: usd(500), liquidity: '0' })
      expect(await incoming(bob.id)).toEqual({
        state: 'COMPLETED',
        receivedAmount: { value: '500' },
      })
      await ase.waitFor(0)
      const types = async () => ase.received.filter((w) => w.body.data['id'] === created.id)
      const deadline = Date.now() + 5_000
      while ((await types()).length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      expect((await types()).map((w) => w.body.type)).toEqual([
        'outgoing_payment.created',
        'outgoing_payment.completed',
      ])
    })

    it('USD->EUR 0.91: 500 EUR to receive cost 550 USD and deliver exactly 500 EUR', async () => {
      const bob = await incomingPayment(bobEur, eur(500))
      const q = await quote(bob.url, { receiveAmount: eur(500) })
      expect(q.debitAmount.value).toBe('550')
      const payment = await settled((await createPayment(q.id)).id)
      expect(payment).toMatchObject({ state: 'COMPLETED', sentAmount: usd(550) })
      expect(await incoming(bob.id)).toEqual({
        state: 'COMPLETED',
        receivedAmount: { value: '500' },
      })
    })

    it('fixed send: a debit of 500 USD delivers what the quote said', async () => {
      const bob = await incomingPayment(bobEur, eur(1000))
      const q = await quote(bob.url, { debitAmount: usd(500) })
      expect(q.receiveAmount.value).toBe('455')
      const payment = await settled((await createPayment(q.id)).id)
      expect(payment).toMatchObject({ state: 'COMPLETED', sentAmount: usd(500) })
      expect(await incoming(bob.id)).toEqual({
        state: 'PROCESSING',
        receivedAmount: { value: '455' },
      })
    })

    it('refuses a quote paid twice, another address quote and unknown ids', async () => {
      const bob = await incomingPayment(bobUsd, usd(10))
      const q = await quote(bob.url, { receiveAmount: usd(10) })
      await createPayment(q.id, false)
      const again = await admin(
        `mutation ($input: CreateOutgoingPaymentInput!) {
          createOutgoingPayment(input: $input) { payment { id } } }`,
        { input: { walletAddressId: alice, quoteId: q.id } },
      )
      expect(again.errors?.[0]).toMatchObject({
        message: 'invalid quote',
        extensions: { code: 'BAD_USER_INPUT' },
      })
      const other = await admin(
        `mutation ($input: CreateOutgoingPaymentInput!) {
          createOutgoingPayment(input: $input) { payment { id } } }`,
        { input: { walletAddressId: bobUsd, quoteId: q.id } },
      )
      expect(errorCode(other)).toBe('NOT_FOUND')
      const missing = await admin(`query ($id: String!) { outgoingPayment(id: $id) { id } }`, {
        id: crypto.randomUUID(),
      })
      expect(errorCode(missing)).toBe('NOT_FOUND')
    })

    it('cancels a FUNDING payment with its reason, and only then', async () => {
      const bob = await incomingPayment(bobUsd, usd(20))
      const q = await quote(bob.url, { receiveAmount: usd(20) })
      const payment = await createPayment(q.id, false)
      const cancel = (id: string) =>
        admin(
          `mutation ($input: CancelOutgoingPaymentInput!) {
            cancelOutgoingPayment(input: $input) { payment { id state metadata } } }`,
          { input: { id, reason: 'changed my mind' } },
        )
      const cancelled = await cancel(payment.id)
      expect(cancelled.data?.['cancelOutgoingPayment']).toEqual({
        payment: {
          id: payment.id,
          state: 'CANCELLED',
          metadata: { note: 'e2e', cancellationReason: 'changed my mind' },
        },
      })
      expect((await cancel(payment.id)).errors?.[0]).toMatchObject({
        message: 'wrong state',
        extensions: { code: 'BAD_USER_INPUT' },
      })
      const deposit = await admin(
        `mutation ($input: DepositOutgoingPaymentLiquidityInput!) {
          depositOutgoingPaymentLiquidity(input: $input) { success } }`,
        { input: { outgoingPaymentId: payment.id, idempotencyKey: crypto.randomUUID() } },
      )
      expect(errorCode(deposit)).toBe('BAD_USER_INPUT')
    })

    it('withdraws the unspent liquidity (the fee) of a completed payment', async () => {
      const fee = await admin(
        `mutation ($input: SetFeeInput!) { setFee(input: $input) { fee { id } } }`,
        { input: { assetId: usdAssetId, type: 'SENDING', fee: { fixed: '7', basisPoints: 0 } } },
      )
      expect(fee.errors).toBeUndefined()
      const bob = await incomingPayment(bobUsd, usd(100))
      const q = await quote(bob.url, { receiveAmount: usd(100) })
      expect(q.debitAmount.value).toBe('107')
      const payment = await settled((await createPayment(q.id)).id)
      expect(payment).toMatchObject({ state: 'COMPLETED', sentAmount: usd(100), liquidity: '7' })
      const withdraw = () =>
        admin(
          `mutation ($input: CreateOutgoingPaymentWithdrawalInput!) {
            createOutgoingPaymentWithdrawal(input: $input) { success } }`,
          {
            input: {
              outgoingPaymentId: payment.id,
              idempotencyKey: crypto.randomUUID(),
              timeoutSeconds: 0,
            },
          },
        )
      // The completed event (and its withdrawal) is written with the state change.
      expect((await withdraw()).data?.['createOutgoingPaymentWithdrawal']).toEqual({
        success: true,
      })
      expect((await read(payment.id)).liquidity).toBe('0')
      // A retry withdraws nothing more (the event's id is the transfer's).
      expect((await withdraw()).data?.['createOutgoingPaymentWithdrawal']).toEqual({
        success: true,
      })
      await admin(`mutation ($input: SetFeeInput!) { setFee(input: $input) { fee { id } } }`, {
        input: { assetId: usdAssetId, type: 'SENDING', fee: { fixed: '0', basisPoints: 0 } },
      })
    })

    it('lists with filters and pages, in the payments view too, and the ledgers balance', async () => {
      const byState = await admin(
        `query ($filter: OutgoingPaymentFilter) { outgoingPayments(filter: $filter) {
          edges { node { id state } } } }`,
        { filter: { walletAddressId: { in: [alice] }, state: { in: ['CANCELLED'] } } },
      )
      const nodes = (byState.data?.['outgoingPayments'] as { edges: { node: { state: string } }[] })
        .edges
      expect(nodes.length).toBe(1)
      const viaAddress = await admin(
        `query ($id: String!) { walletAddress(id: $id) { outgoingPayments(first: 2) {
          pageInfo { hasNextPage } edges { node { id } } } } }`,
        { id: alice },
      )
      expect(viaAddress.data?.['walletAddress']).toMatchObject({
        outgoingPayments: { pageInfo: { hasNextPage: true } },
      })
      const payments = await admin(
        `query { payments(filter: { type: { in: ["OUTGOING"] } }, first: 100) {
          edges { node { id type } } } }`,
        {},
      )
      const listed = (payments.data?.['payments'] as { edges: { node: { id: string } }[] }).edges
      expect(listed.map((e) => e.node.id).sort()).toEqual([...paymentIds].sort())
      const audits = [
        { assetId: usdAssetId, payers: paymentIds, payees: [bobUsd] },
        { assetId: eurAssetId, payers: [], payees: [bobEur] },
      ]
      for (const { assetId, payers, payees } of audits) {
        const audit = await auditAsset(node.adminUrl, assetId, [
          ...payers.map((id) => ({ kind: 'outgoingPayment' as const, id })),
          ...incomingIds
            .filter((p) => payees.includes(p.walletAddressId))
            .map(({ id }) => ({ kind: 'incomingPayment' as const, id })),
        ])
        expect(audit.pending).toBe(0)
        expect(audit.liquidity).toBe(audit.deposited)
      }
    })
  },
)
