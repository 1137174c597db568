import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { tokens } from '../../runtimes/compose.ts'
import { incomingPaymentTokens } from '../../runtimes/compose-incoming-payments.ts'
import { walletAddressTokens } from '../../runtimes/compose-wallet-addresses.ts'
import { bootComposedTestNode, type ComposedTestNode } from '../support/composed-test-node.ts'
import { errorCode, gql, type GraphqlReply } from '../support/graphql-client.ts'
import { testNodeTargets } from '../support/test-node.ts'
import { startWebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.ts'

const payload = <T>(reply: GraphqlReply, field: string, key?: string): T => {
  const value = reply.data?.[field] as Record<string, unknown> | null | undefined
  const picked = key === undefined ? value : value?.[key]
  if (picked === undefined || picked === null) throw new Error(JSON.stringify(reply))
  return picked as T
}
const key = () => ({ idempotencyKey: crypto.randomUUID() })

const withdrawPayment = `mutation ($input: CreateIncomingPaymentWithdrawalInput!) {
  createIncomingPaymentWithdrawal(input: $input) { success } }`
const withdrawWalletAddress = `mutation ($input: CreateWalletAddressWithdrawalInput!) {
  createWalletAddressWithdrawal(input: $input) {
    withdrawal { id amount walletAddress { id liquidity } } } }`
const trigger = `mutation ($input: TriggerWalletAddressEventsInput!) {
  triggerWalletAddressEvents(input: $input) { count } }`
const post = `mutation ($input: PostLiquidityWithdrawalInput!) {
  postLiquidityWithdrawal(input: $input) { success } }`
const createPayment = `mutation ($input: CreateIncomingPaymentInput!) {
  createIncomingPayment(input: $input) { payment { id } } }`
const paymentLiquidity = `query ($id: String!) { incomingPayment(id: $id) { state liquidity } }`
const payments = `query ($filter: PaymentFilter, $first: Int, $after: String) {
  payments(filter: $filter, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id type walletAddressId client state metadata liquidity createdAt } } } }`

describe.each(testNodeTargets('admin-withdrawals e2e'))(
  'withdrawals, web-monetization events and the payments list ($name)',
  ({ env }) => {
    let node: ComposedTestNode
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
    let url: string
    let assetId: string
    let walletAddressId: string
    const code = `W${crypto.randomUUID().slice(0, 6)}`.toUpperCase()

    /** The connector's part, until it exists: money arrives in an account from outside. */
    const moveIn = async (accountId: string, amount: bigint) => {
      const asset = await node.get(tokens.assetRepository).getById(assetId)
      if (!asset) throw new Error('asset')
      const moved = await node.get(tokens.ledger).transfer([
        {
          type: 'single',
          id: crypto.randomUUID(),
          debitAccountId: settlementAccountId(asset.id),
          creditAccountId: accountId,
          amount,
          ledger: asset.ledger,
        },
      ])
      if (!moved.ok) throw new Error(moved.error.error)
      return asset
    }
    const receive = async (paymentId: string, amount: bigint) => {
      await moveIn(paymentId, amount)
      const credited = await node.get(incomingPaymentTokens.creditIncomingPayment)(
        paymentId,
        amount,
      )
      if (!credited.ok) throw new Error(credited.error)
    }
    const newPayment = async (incomingValue?: string) => {
      const reply = await gql(url, createPayment, {
        input: {
          walletAddressId,
          ...(incomingValue && {
            incomingAmount: { value: incomingValue, assetCode: code, assetScale: 2 },
          }),
        },
      })
      return payload<{ id: string }>(reply, 'createIncomingPayment', 'payment').id
    }
    const webhook = async (type: string, about: (data: Record<string, unknown>) => boolean) => {
      let found: ReceivedWebhook | undefined
      await vi.waitFor(
        () => {
          found = receiver.received.find((w) => w.body.type === type && about(w.body.data))
          if (!found) throw new Error(`no ${type} webhook yet`)
        },
        { timeout: 10_000, interval: 20 },
      )
      return found as ReceivedWebhook
    }

    beforeAll(async () => {
      receiver = await startWebhookReceiver()
      node = await bootComposedTestNode({
        ...env,
        WEBHOOK_URL: receiver.url,
        // The reports here are driven by triggerWalletAddressEvents: the wallet-address worker
        // must not take them first, so it polls only once an hour.
        WALLET_ADDRESS_WORKER_IDLE: '3600000',
      })
      url = node.adminUrl
      const asset = await gql(
        url,
        `mutation ($input: CreateAssetInput!) { createAsset(input: $input) { asset { id } } }`,
        { input: { code, scale: 2 } },
      )
      assetId = payload<{ id: string }>(asset, 'createAsset', 'asset').id
      const wallet = await gql(
        url,
        `mutation ($input: CreateWalletAddressInput!) {
          createWalletAddress(input: $input) { walletAddress { id } } }`,
        { input: { assetId, url: `https://wallet.example/${crypto.randomUUID()}` } },
      )
      walletAddressId = payload<{ id: string }>(wallet, 'createWalletAddress', 'walletAddress').id
    })
    afterAll(async () => {
      await node?.stop()
      await receiver?.close()
    })

    it('withdraws what a completed incoming payment received, once, under its event id', async () => {
      const paymentId = await newPayment('500')
      await receive(paymentId, 500n)
      const completed = await webhook('incoming_payment.completed', (d) => d['id'] === paymentId)
      expect(completed.body.data['receivedAmount']).toEqual({
        value: '500',
        assetCode: code,
        assetScale: 2,
      })
      const input = { incomingPaymentId: paymentId, timeoutSeconds: 60 }
      const first = await gql(url, withdrawPayment, { input: { ...input, ...key() } })
      expect(first.data).toEqual({ createIncomingPaymentWithdrawal: { success: true } })
      expect((await gql(url, paymentLiquidity, { id: paymentId })).data).toEqual({
        incomingPayment: { state: 'COMPLETED', liquidity: '0' },
      })
      const history = await gql(
        url,
        `query ($id: String!) { accountingTransfers(id: $id) {
          debits { id amount state transferType } } }`,
        { id: paymentId },
      )
      expect(payload(history, 'accountingTransfers', 'debits')).toEqual([
        { id: completed.body.id, amount: '500', state: 'PENDING', transferType: 'WITHDRAWAL' },
      ])
      // A retry under a new key moves nothing more; other arguments for the same withdrawal clash.
      const again = await gql(url, withdrawPayment, { input: { ...input, ...key() } })
      expect(again.data).toEqual({ createIncomingPaymentWithdrawal: { success: true } })
      const clash = await gql(url, withdrawPayment, {
        input: { ...input, timeoutSeconds: 5, ...key() },
      })
      expect(errorCode(clash)).toBe('DUPLICATE')
      const posted = await gql(url, post, {
        input: { withdrawalId: completed.body.id, ...key() },
      })
      expect(posted.data).toEqual({ postLiquidityWithdrawal: { success: true } })
    })

    it('refuses unknown, unsettled and empty incoming payments', async () => {
      const open = await newPayment()
      await receive(open, 5n)
      const empty = await newPayment()
      const complete = node.get(incomingPaymentTokens.completeIncomingPayment)
      expect((await complete(empty)).ok).toBe(true)
      const cases: [string, string][] = [
        [crypto.randomUUID(), 'NOT_FOUND'],
        ['not-a-uuid', 'NOT_FOUND'],
        [open, 'BAD_USER_INPUT'],
        [empty, 'BAD_USER_INPUT'],
      ]
      for (const [incomingPaymentId, expected] of cases) {
        const reply = await gql(url, withdrawPayment, {
          input: { incomingPaymentId, timeoutSeconds: 0, ...key() },
        })
        expect(errorCode(reply), JSON.stringify(reply)).toBe(expected)
      }
      expect((await gql(url, paymentLiquidity, { id: open })).data).toEqual({
        incomingPayment: { state: 'PROCESSING', liquidity: '5' },
      })
    })

    it('reports web monetization when due and withdraws a wallet address balance', async () => {
      const withdraw = (id: string) =>
        gql(url, withdrawWalletAddress, {
          input: { walletAddressId, id, timeoutSeconds: 0, ...key() },
        })
      expect(errorCode(await withdraw(crypto.randomUUID()))).toBe('FORBIDDEN')
      // The STREAM receiver's part, until it exists: the account, the money, the schedule.
      const asset = await node.get(tokens.assetRepository).getById(assetId)
      if (!asset) throw new Error('asset')
      await node
        .get(tokens.ledger)
        .createAccounts([{ id: walletAddressId, ledger: asset.ledger, kind: 'WEB_MONETIZATION' }])
      await moveIn(walletAddressId, 120n)
      await node
        .get(walletAddressTokens.walletAddressRepository)
        .scheduleEvents(walletAddressId, new Date())
      const triggered = await gql(url, trigger, { input: { limit: 10, ...key() } })
      expect(triggered.data).toEqual({ triggerWalletAddressEvents: { count: 1 } })
      const event = await webhook(
        'wallet_address.web_monetization',
        (data) => (data['walletAddress'] as Record<string, unknown>)['id'] === walletAddressId,
      )
      expect(event.body.data).toMatchObject({
        walletAddress: {
          id: walletAddressId,
          receivedAmount: { value: '120', assetCode: code, assetScale: 2 },
        },
      })
      expect(
        (await gql(url, trigger, { input: { limit: 10 } })).data?.['triggerWalletAddressEvents'],
      ).toEqual({ count: 0 })
      const id = crypto.randomUUID()
      expect((await withdraw(id)).data).toEqual({
        createWalletAddressWithdrawal: {
          withdrawal: { id, amount: '120', walletAddress: { id: walletAddressId, liquidity: '0' } },
        },
      })
      expect(errorCode(await withdraw(crypto.randomUUID()))).toBe('FORBIDDEN')
      const unknown = await gql(url, withdrawWalletAddress, {
        input: { walletAddressId: crypto.randomUUID(), id, timeoutSeconds: 0, ...key() },
      })
      expect(errorCode(unknown)).toBe('NOT_FOUND')
      const badLimit = await gql(url, trigger, { input: { limit: -1 } })
      expect(errorCode(badLimit)).toBe('BAD_USER_INPUT')
    })

    it('lists payments by wallet address and type, with their liquidity', async () => {
      const other = await gql(
        url,
        `mutation ($input: CreateWalletAddressInput!) {
          createWalletAddress(input: $input) { walletAddress { id } } }`,
        { input: { assetId, url: `https://wallet.example/${crypto.randomUUID()}` } },
      )
      const otherId = payload<{ id: string }>(other, 'createWalletAddress', 'walletAddress').id
      const own = await gql(url, payments, { filter: { walletAddressId: { in: [otherId] } } })
      expect(payload(own, 'payments', 'edges')).toEqual([])
      const paymentId = await newPayment('7')
      await receive(paymentId, 3n)
      const filter = { walletAddressId: { in: [walletAddressId] }, type: { in: ['INCOMING'] } }
      const page = await gql(url, payments, { filter, first: 1 })
      const edges = payload<{ cursor: string; node: Record<string, unknown> }[]>(
        page,
        'payments',
        'edges',
      )
      expect(edges).toEqual([
        {
          cursor: paymentId,
          node: {
            id: paymentId,
            type: 'INCOMING',
            walletAddressId,
            client: null,
            state: 'PROCESSING',
            metadata: null,
            liquidity: '3',
            createdAt: expect.any(String),
          },
        },
      ])
      expect(payload(page, 'payments', 'pageInfo')).toEqual({
        hasNextPage: true,
        endCursor: paymentId,
      })
      const next = await gql(url, payments, { filter, first: 100, after: paymentId })
      expect(payload<unknown[]>(next, 'payments', 'edges').length).toBeGreaterThanOrEqual(3)
      const outgoing = await gql(url, payments, { filter: { type: { in: ['OUTGOING'] } } })
      expect(payload(outgoing, 'payments', 'edges')).toEqual([])
      const badCursor = await gql(url, payments, { after: 'nope' })
      expect(errorCode(badCursor)).toBe('BAD_USER_INPUT')
    })
  },
)
