// Two nodes, each with nothing auth-related configured, so each embeds its authorization server.
// A client app with a wallet address on A pays a wallet address on B the remote way: an
// incoming-payment grant from B's server and the incoming payment at B's resource server, a quote
// grant and the quote at A (A resolves the receiver with its own grant at B's server), an
// outgoing-payment grant at A the user accepts through A's IdP back channel, the payment at A over
// ILP to B, then the incoming payment read back at B with the first grant. The nodes are peered
// in USD; B converts on delivery to its EUR wallet, and delivers USD as is to its USD wallet.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  accessTokenOf,
  bootEmbeddedAuthNode,
  decideThroughIdp,
  expectedFinishHash,
  newClient,
  requestInteractiveGrant,
  settledPayment,
  startFinishReceiver,
  type EmbeddedAuthNode,
  type FinishReceiver,
  type TestClient,
} from '../support/embedded-auth-e2e.ts'
import { startFundingAse, type FundingAse } from '../support/funding-ase.ts'
import { gql } from '../support/graphql-client.ts'
import { createPeer } from '../support/ilp-e2e.ts'
import { auditAsset, type AuditedAccount } from '../support/ledger-audit.ts'
import {
  createAsset,
  createWalletAddress,
  depositAssetLiquidity,
} from '../support/open-payments-e2e.ts'
import { startRatesServer, type RatesServer } from '../support/rates-server.ts'
import { testNodeTargets } from '../support/test-node.ts'

type Code = 'USD' | 'EUR'
type AmountJson = { value: string; assetCode: string; assetScale: number }

const deposit = 1_000_000n
const slippage = 0.01
const paymentTimeoutMs = 20_000

type Side = {
  readonly name: 'a' | 'b'
  readonly node: EmbeddedAuthNode
  readonly assets: ReadonlyMap<Code, string>
  /** Every account holding money besides the assets' own, for the ledger audit. */
  readonly accounts: { readonly code: Code; readonly account: AuditedAccount }[]
}

const idOf = (url: string): string => url.split('/').at(-1) ?? ''

const tokenOf = accessTokenOf

describe.each(testNodeTargets('two-node embedded-auth e2e'))(
  'a client of node A pays node B through both embedded authorization servers ($name)',
  ({ env }) => {
    let ratesServer: RatesServer
    let ase: FundingAse
    let finish: FinishReceiver
    let a: Side
    let b: Side
    /** WALLET_ADDRESS_URL of node A: the client B's authorization server knows A's node as. */
    let nodeAClient: string
    let app: TestClient
    let alice: string

    async function bootSide(
      name: 'a' | 'b',
      codes: readonly Code[],
      extra: (opUrl: string) => Record<string, string>,
    ): Promise<Side> {
      const node = await bootEmbeddedAuthNode((opUrl) => ({
        ...env,
        ILP_ADDRESS: `test.${name}`,
        STREAM_SECRET: randomBytes(32).toString('base64'),
        EXCHANGE_RATES_URL: `${ratesServer.url}/${name}`,
        SLIPPAGE: String(slippage),
        ...extra(opUrl),
      }))
      const assets = new Map<Code, string>()
      for (const code of codes) {
        const assetId = await createAsset(node.adminUrl, code)
        await depositAssetLiquidity(node.adminUrl, assetId, deposit)
        assets.set(code, assetId)
      }
      return { name, node, assets, accounts: [] }
    }

    /** `from`'s USD peer for `to`, at to's real connector. */
    async function peerWith(from: Side, to: Side, tokens: Map<string, string>): Promise<void> {
      const token = (x: Side, y: Side) => tokens.get(`${x.name}${y.name}`) ?? ''
      const peerId = await createPeer(from.node.adminUrl, {
        assetId: from.assets.get('USD') ?? '',
        staticIlpAddress: `test.${to.name}`,
        incomingToken: token(to, from),
        outgoing: {
          endpoint: `http://127.0.0.1:${to.node.ports.connector}/`,
          authToken: token(from, to),
        },
        initialLiquidity: deposit.toString(),
      })
      from.accounts.push({ code: 'USD', account: { kind: 'peer', id: peerId } })
    }

    beforeAll(async () => {
      ratesServer = await startRatesServer({ USD: { EUR: 0.91 }, EUR: { USD: 1 / 0.91 } })
      ase = await startFundingAse(() => a.node.adminUrl)
      finish = await startFinishReceiver()
      a = await bootSide('a', ['USD'], (opUrl) => {
        nodeAClient = `${opUrl}/.well-known/pay`
        return {
          WEBHOOK_URL: ase.url,
          WALLET_ADDRESS_URL: nodeAClient,
          KEY_ID: `node-a-${crypto.randomUUID()}`,
        }
      })
      b = await bootSide('b', ['EUR', 'USD'], () => ({}))
      const tokens = new Map(['ab', 'ba'].map((key) => [key, `${key}-${crypto.randomUUID()}`]))
      await peerWith(a, b, tokens)
      await peerWith(b, a, tokens)
      const usdAtA = a.assets.get('USD') ?? ''
      app = await newClient(a.node, usdAtA)
      alice = `${a.node.opUrl}/alice-${crypto.randomUUID()}`
      await createWalletAddress(a.node.adminUrl, usdAtA, alice)
    })
    afterAll(async () => {
      await a?.node.stop()
      await b?.node.stop()
      await finish?.close()
      await ratesServer?.close()
      await ase?.close()
    })

    /** The admin view of an outgoing payment at A, once it has ended. */
    const ended = (paymentUrl: string) =>
      settledPayment(a.node.adminUrl, paymentUrl, paymentTimeoutMs)

    /** The user accepts at A; the grant is continued with the finish's interact_ref. */
    async function acceptedOutgoingGrant(debitAmount: AmountJson) {
      const access = [
        {
          type: 'outgoing-payment',
          actions: ['create', 'read'],
          identifier: alice,
          limits: { debitAmount },
        },
      ]
      const grant = await requestInteractiveGrant(app, a.node.authUrl, access, finish.uri)
      const query = await decideThroughIdp(a.node, grant, 'accept')
      const interactRef = query.get('interact_ref') ?? ''
      expect(query.get('hash')).toBe(expectedFinishHash(grant, interactRef, a.node.authUrl))
      const continued = await app.op.grant.continue(
        { url: grant.pending.continue.uri, accessToken: grant.pending.continue.access_token.value },
        { interact_ref: interactRef },
      )
      return tokenOf(continued)
    }

    /** The whole remote flow to a new wallet address at B in `code`, for `incomingAmount`. */
    async function payRemote(code: Code, incomingAmount: AmountJson) {
      const receiverWallet = `${b.node.opUrl}/bob-${code.toLowerCase()}-${crypto.randomUUID()}`
      await createWalletAddress(b.node.adminUrl, b.assets.get(code) ?? '', receiverWallet)

      // 1. At B: its authorization server (as its wallet address names it), its resource server.
      const bob = await app.op.walletAddress.get({ url: receiverWallet })
      expect(bob.authServer).toBe(b.node.authUrl)
      const incomingToken = tokenOf(
        await app.op.grant.request(
          { url: bob.authServer },
          { access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read'] }] } },
        ),
      )
      const incoming = await app.op.incomingPayment.create(
        { url: bob.resourceServer, accessToken: incomingToken.value },
        { walletAddress: bob.id, incomingAmount },
      )
      b.accounts.push({ code, account: { kind: 'incomingPayment', id: idOf(incoming.id) } })

      // 2. At A: a quote grant and the quote; A resolves the receiver with its own grant at B.
      const sender = await app.op.walletAddress.get({ url: alice })
      expect(sender.authServer).toBe(a.node.authUrl)
      const quoteToken = tokenOf(
        await app.op.grant.request(
          { url: sender.authServer },
          {
            access_token: {
              access: [{ type: 'quote', actions: ['create', 'read'], identifier: alice }] as never,
            },
          },
        ),
      )
      const quote = await app.op.quote.create(
        { url: sender.resourceServer, accessToken: quoteToken.value },
        { walletAddress: alice, receiver: incoming.id, method: 'ilp' },
      )

      // 3. At A: the outgoing-payment grant, limited to the quote's debit, accepted by the user.
      const outgoingToken = await acceptedOutgoingGrant(quote.debitAmount)

      // 4. At A: the payment, funded by A's ASE; then the incoming payment read back at B.
      const outgoing = await app.op.outgoingPayment.create(
        { url: sender.resourceServer, accessToken: outgoingToken.value },
        { walletAddress: alice, quoteId: quote.id },
      )
      a.accounts.push({ code: 'USD', account: { kind: 'outgoingPayment', id: idOf(outgoing.id) } })
      const payment = await ended(outgoing.id)
      const received = await app.op.incomingPayment.get({
        url: incoming.id,
        accessToken: incomingToken.value,
      })
      return { quote, payment, received }
    }

    /** The grants B's authorization server issued to node A itself (not to the app). */
    async function grantsToNodeA() {
      const reply = await gql(
        b.node.adminUrl,
        `query { grants(first: 100) { edges { node { client state access { type actions } } } } }`,
      )
      type GrantJson = { client: string; state: string; access: { type: string }[] }
      const edges = (reply.data?.['grants'] as { edges: { node: GrantJson }[] }).edges
      return edges.map((edge) => edge.node).filter((grant) => grant.client === nodeAClient)
    }

    /**
     * Per asset of each node: the deposits (the asset's own, each peer's initial liquidity, A's
     * ASE funding its payments) are what its accounts hold, and no hold is left pending. Holds
     * of rejected packets are voided after the reply, so this waits for them.
     */
    async function expectBalanced(side: Side): Promise<void> {
      await vi.waitFor(
        async () => {
          for (const [code, assetId] of side.assets) {
            const accounts = side.accounts.filter((x) => x.code === code).map((x) => x.account)
            const audit = await auditAsset(side.node.adminUrl, assetId, accounts)
            expect({ node: side.name, code, pending: audit.pending }).toEqual({
              node: side.name,
              code,
              pending: 0,
            })
            expect(audit.liquidity, `${side.name} ${code}`).toBe(audit.deposited)
            expect(audit.deposited, `${side.name} ${code}`).toBeGreaterThanOrEqual(deposit)
          }
        },
        { timeout: 5_000, interval: 100 },
      )
    }

    it('pays 500 EUR at B from USD at A (cross-currency): received exactly, ledgers balance', async () => {
      const incomingAmount = { value: '50000', assetCode: 'EUR', assetScale: 2 }
      const { quote, payment, received } = await payRemote('EUR', incomingAmount)
      expect(quote.receiveAmount).toEqual(incomingAmount)
      expect(quote.debitAmount.assetCode).toBe('USD')
      // 500 EUR cost at least 549.45 USD at 0.91, at most that with 1% slippage.
      const debit = BigInt(quote.debitAmount.value)
      expect(debit).toBeGreaterThan(54_945n)
      expect(debit).toBeLessThanOrEqual(BigInt(Math.ceil(50_000 / (0.91 * (1 - slippage)))))
      expect(payment).toMatchObject({ state: 'COMPLETED', error: null })
      expect(payment.sentAmount.assetCode).toBe('USD')
      expect(BigInt(payment.sentAmount.value)).toBeLessThanOrEqual(debit)
      expect(received.receivedAmount).toEqual(incomingAmount)
      expect(received.completed).toBe(true)
      const nodeGrants = await grantsToNodeA()
      expect(nodeGrants.length).toBeGreaterThan(0)
      expect(nodeGrants[0]?.access).toEqual([expect.objectContaining({ type: 'incoming-payment' })])
      await expectBalanced(a)
      await expectBalanced(b)
    })

    it('pays 500 USD at B from USD at A (same currency): received exactly, ledgers balance', async () => {
      const incomingAmount = { value: '50000', assetCode: 'USD', assetScale: 2 }
      const { quote, payment, received } = await payRemote('USD', incomingAmount)
      expect(quote.receiveAmount).toEqual(incomingAmount)
      // Over ILP even one currency keeps the slippage margin: 500 / 0.99 at most.
      expect(quote.debitAmount).toEqual({ value: '50506', assetCode: 'USD', assetScale: 2 })
      expect(payment).toMatchObject({
        state: 'COMPLETED',
        error: null,
        sentAmount: { value: '50000', assetCode: 'USD' },
      })
      expect(received.receivedAmount).toEqual(incomingAmount)
      expect(received.completed).toBe(true)
      expect(await grantsToNodeA()).not.toEqual([])
      await expectBalanced(a)
      await expectBalanced(b)
    })
  },
)
