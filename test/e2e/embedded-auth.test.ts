// The whole Open Payments flow against one node with nothing auth-related configured: its
// embedded authorization server issues the grants (non-interactive for incoming payments and
// quotes, interactive for outgoing payments), its resource server introspects them in process.
// The user's consent goes through the identity provider's back channel here; the browser test
// (embedded-auth-browser.test.ts) clicks through the built-in consent page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isFinalizedGrant, isPendingGrant, type Grant } from '@interledger/open-payments'
import { gql } from '../support/graphql-client.ts'
import {
  accessTokenOf,
  bootEmbeddedAuthNode,
  decideThroughIdp,
  expectedFinishHash,
  idpSecret,
  newClient,
  newWalletAddress,
  requestInteractiveGrant,
  settledPayment,
  startFinishReceiver,
  type EmbeddedAuthNode,
  type FinishReceiver,
  type TestClient,
} from '../support/embedded-auth-e2e.ts'
import { startFundingAse, type FundingAse } from '../support/funding-ase.ts'
import { createAsset, depositAssetLiquidity, sendRaw } from '../support/open-payments-e2e.ts'
import { testNodeTargets } from '../support/test-node.ts'

const usd = (value: number | string) => ({ value: String(value), assetCode: 'USD', assetScale: 2 })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
type ErrorBody = { error?: { code?: string; description?: string } }

/** What the client library throws for a non-2xx answer. */
const gnapCode = async (call: Promise<unknown>): Promise<string | undefined> => {
  try {
    await call
  } catch (error) {
    const e = error as { status?: number; description?: string; code?: string }
    return e.code ?? e.description
  }
  throw new Error('expected the call to be refused')
}

describe.each(testNodeTargets('embedded-auth e2e'))(
  'the embedded authorization server, whole Open Payments flow ($name)',
  ({ env }) => {
    let node: EmbeddedAuthNode
    let ase: FundingAse
    let finish: FinishReceiver
    let usdAssetId: string
    let app: TestClient

    const newWallet = (name: string) => newWalletAddress(node, usdAssetId, name)
    const grantToken = accessTokenOf
    const incomingGrant = async (client = app) =>
      grantToken(
        await client.op.grant.request(
          { url: node.authUrl },
          {
            access_token: {
              access: [{ type: 'incoming-payment', actions: ['create', 'read', 'complete'] }],
            },
          },
        ),
      )
    const incomingPayment = async (receiver: string, value: number) => {
      const token = await incomingGrant()
      return app.op.incomingPayment.create(
        { url: node.opUrl, accessToken: token.value },
        { walletAddress: receiver, incomingAmount: usd(value) },
      )
    }
    const quote = async (sender: string, receiver: string) => {
      const grant = await app.op.grant.request(
        { url: node.authUrl },
        {
          access_token: {
            access: [{ type: 'quote', actions: ['create', 'read'], identifier: sender }] as never,
          },
        },
      )
      return app.op.quote.create(
        { url: node.opUrl, accessToken: grantToken(grant).value },
        { walletAddress: sender, receiver, method: 'ilp' },
      )
    }
    const outgoingAccess = (sender: string, limits?: Record<string, unknown>) => [
      {
        type: 'outgoing-payment' as const,
        actions: ['create' as const, 'read' as const, 'list' as const],
        identifier: sender,
        ...(limits && { limits }),
      },
    ]
    /** An outgoing-payment grant the user accepted; continued with the finish's interact_ref. */
    const acceptedOutgoingGrant = async (sender: string, limits?: Record<string, unknown>) => {
      const grant = await requestInteractiveGrant(
        app,
        node.authUrl,
        outgoingAccess(sender, limits) as never,
        finish.uri,
      )
      const query = await decideThroughIdp(node, grant, 'accept')
      const interactRef = query.get('interact_ref') ?? ''
      const continued = await app.op.grant.continue(
        {
          url: grant.pending.continue.uri,
          accessToken: grant.pending.continue.access_token.value,
        },
        { interact_ref: interactRef },
      )
      return grantToken(continued)
    }
    const completed = (id: string) => settledPayment(node.adminUrl, id)

    beforeAll(async () => {
      ase = await startFundingAse(() => node.adminUrl)
      finish = await startFinishReceiver()
      node = await bootEmbeddedAuthNode({ ...env, WEBHOOK_URL: ase.url })
      usdAssetId = await createAsset(node.adminUrl, 'USD')
      await depositAssetLiquidity(node.adminUrl, usdAssetId, 10_000_000n)
      app = await newClient(node, usdAssetId)
    })

    afterAll(async () => {
      await node?.stop()
      await finish?.close()
      await ase?.close()
    })

    it('names its own authorization server on wallet addresses', async () => {
      const wallet = await app.op.walletAddress.get({ url: app.url })
      expect(wallet.authServer).toBe(node.authUrl)
    })

    it('runs the whole flow: grants, incoming payment, quote, consent, outgoing payment', async () => {
      const alice = await newWallet('alice')
      const bob = await newWallet('bob')
      const incoming = await incomingPayment(bob, 500)
      const q = await quote(alice, incoming.id)
      expect(q.receiveAmount.value).toBe('500')

      const grant = await requestInteractiveGrant(
        app,
        node.authUrl,
        outgoingAccess(alice) as never,
        finish.uri,
      )
      expect(grant.pending.continue.wait).toBe(1)
      const query = await decideThroughIdp(node, grant, 'accept')
      const interactRef = query.get('interact_ref') ?? ''
      expect(query.get('hash')).toBe(expectedFinishHash(grant, interactRef, node.authUrl))
      const continued = await app.op.grant.continue(
        {
          url: grant.pending.continue.uri,
          accessToken: grant.pending.continue.access_token.value,
        },
        { interact_ref: interactRef },
      )
      const token = grantToken(continued)
      const payment = await app.op.outgoingPayment.create(
        { url: node.opUrl, accessToken: token.value },
        { walletAddress: alice, quoteId: q.id },
      )
      expect((await completed(payment.id)).state).toBe('COMPLETED')
      const read = await app.op.incomingPayment.get({
        url: incoming.id,
        accessToken: (await incomingGrant()).value,
      })
      expect(read.receivedAmount.value).toBe('500')
      expect(read.completed).toBe(true)
    })

    it('continues by polling: too_fast before wait, pending until the user accepts', async () => {
      const alice = await newWallet('alice')
      const grant = await requestInteractiveGrant(
        app,
        node.authUrl,
        outgoingAccess(alice) as never,
        undefined,
      )
      const continuation = {
        url: grant.pending.continue.uri,
        accessToken: grant.pending.continue.access_token.value,
      }
      expect(await gnapCode(app.op.grant.continue(continuation))).toMatch(/too_fast|too fast/i)
      await sleep(1100)
      const pending = await app.op.grant.continue(continuation)
      expect(isPendingGrant(pending) || !isFinalizedGrant(pending)).toBe(true)
      await decideThroughIdp(node, grant, 'accept')
      await sleep(1100)
      const issued = await app.op.grant.continue(continuation)
      expect(grantToken(issued).access).toEqual(outgoingAccess(alice))
    })

    it('rejecting consent finishes with grant_rejected and issues no token', async () => {
      const alice = await newWallet('alice')
      const grant = await requestInteractiveGrant(
        app,
        node.authUrl,
        outgoingAccess(alice) as never,
        finish.uri,
      )
      const query = await decideThroughIdp(node, grant, 'reject')
      expect(query.get('result')).toBe('grant_rejected')
      expect(query.get('interact_ref')).toBeNull()
      await sleep(1100)
      const code = await gnapCode(
        app.op.grant.continue({
          url: grant.pending.continue.uri,
          accessToken: grant.pending.continue.access_token.value,
        }),
      )
      expect(code).toMatch(/user_denied|denied/i)
    })

    it('lets payments through a debitAmount limit within its interval and refuses the next', async () => {
      const alice = await newWallet('alice')
      const interval = `R/${new Date().toISOString()}/P1D`
      const token = await acceptedOutgoingGrant(alice, { debitAmount: usd(1000), interval })
      const pay = async (value: number) => {
        const bob = await newWallet('bob')
        const incoming = await incomingPayment(bob, value)
        const q = await quote(alice, incoming.id)
        return app.op.outgoingPayment.create(
          { url: node.opUrl, accessToken: token.value },
          { walletAddress: alice, quoteId: q.id },
        )
      }
      await pay(600)
      await pay(400)
      const refused = await gnapCode(pay(1))
      expect(refused).toBeDefined()
      const spent = await sendRaw({
        method: 'GET',
        url: `${node.opUrl}/outgoing-payment-grant`,
        accessToken: token.value,
        key: app.key,
      })
      expect(spent.status).toBe(200)
      const body = (await spent.json()) as { spentDebitAmount?: { value: string } }
      expect(body.spentDebitAmount?.value).toBe('1000')
    })

    it('rotates and revokes tokens through the client; a revoked token is inactive at once', async () => {
      const first = await incomingGrant()
      const rotated = await app.op.token.rotate({ url: first.manage, accessToken: first.value })
      const bob = await newWallet('bob')
      const create = (accessToken: string) =>
        sendRaw({
          method: 'POST',
          url: `${node.opUrl}/incoming-payments`,
          accessToken,
          body: JSON.stringify({ walletAddress: bob }),
          key: app.key,
        })
      expect((await create(first.value)).status).toBe(401)
      expect((await create(rotated.access_token.value)).status).toBe(201)
      await app.op.token.revoke({
        url: rotated.access_token.manage,
        accessToken: rotated.access_token.value,
      })
      expect((await create(rotated.access_token.value)).status).toBe(401)
      const introspected = await fetch(node.introspectionUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: rotated.access_token.value }),
      })
      expect(await introspected.json()).toEqual({ active: false })
    })

    it('revokes a grant through the client (DELETE continue): its token stops working', async () => {
      const alice = await newWallet('alice')
      const grant = await requestInteractiveGrant(
        app,
        node.authUrl,
        outgoingAccess(alice) as never,
        finish.uri,
      )
      const query = await decideThroughIdp(node, grant, 'accept')
      const continuation = {
        url: grant.pending.continue.uri,
        accessToken: grant.pending.continue.access_token.value,
      }
      const continued = await app.op.grant.continue(continuation, {
        interact_ref: query.get('interact_ref') ?? '',
      })
      const token = grantToken(continued)
      const live = isFinalizedGrant(continued as Grant)
        ? {
            url: (continued as Grant).continue.uri,
            accessToken: (continued as Grant).continue.access_token.value,
          }
        : continuation
      await app.op.grant.cancel(live)
      const list = await sendRaw({
        method: 'GET',
        url: `${node.opUrl}/outgoing-payments?wallet-address=${encodeURIComponent(alice)}`,
        accessToken: token.value,
        key: app.key,
      })
      expect(list.status).toBe(401)
    })

    it('issues to a directed-identity client (a bare key) and serves its signed requests', async () => {
      const { x } = app.key.privateKey.export({ format: 'jwk' })
      const jwk = { kid: app.key.keyId, x: x ?? '', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' }
      const grant = await app.op.grant.request(
        { url: node.authUrl },
        { access_token: { access: [{ type: 'incoming-payment', actions: ['create', 'read'] }] } },
        { jwk: jwk as never },
      )
      const token = grantToken(grant)
      const bob = await newWallet('bob')
      const created = await app.op.incomingPayment.create(
        { url: node.opUrl, accessToken: token.value },
        { walletAddress: bob },
      )
      expect(created.walletAddress).toBe(bob)
    })

    describe('refusals', () => {
      const grantBody = () =>
        JSON.stringify({
          access_token: { access: [{ type: 'incoming-payment', actions: ['create'] }] },
          client: app.url,
        })
      const grantCount = async () => {
        const reply = await gql(node.adminUrl, `query { grants(first: 100) { edges { cursor } } }`)
        return (reply.data?.['grants'] as { edges: unknown[] }).edges.length
      }

      it('refuses unsigned and wrongly signed grant requests, issuing nothing', async () => {
        const before = await grantCount()
        const unsigned = await sendRaw({ method: 'POST', url: node.authUrl, body: grantBody() })
        expect(unsigned.status).toBe(401)
        expect(((await unsigned.json()) as ErrorBody).error?.code).toBe('invalid_client')
        const other = await newClient(node, usdAssetId, 'mallory')
        const wrongKey = await sendRaw({
          method: 'POST',
          url: node.authUrl,
          body: grantBody(),
          key: other.key,
        })
        expect(wrongKey.status).toBe(401)
        const tampered = await sendRaw({
          method: 'POST',
          url: node.authUrl,
          body: grantBody(),
          key: app.key,
          // Same length (the signed Content-Length), still a valid request: list, not create.
          tamperedBody: grantBody().replace('"create"', '"list"  '),
        })
        expect(tampered.status).toBe(401)
        expect(await grantCount()).toBe(before)
      })

      it('refuses unsigned and foreign-signed continue and token calls, changing nothing', async () => {
        const token = await incomingGrant()
        const mallory = await newClient(node, usdAssetId, 'mallory')
        for (const key of [undefined, mallory.key]) {
          const rotate = await sendRaw({
            method: 'POST',
            url: token.manage,
            accessToken: token.value,
            key,
          })
          expect(rotate.status).toBe(401)
          expect(((await rotate.json()) as ErrorBody).error?.code).toBe('invalid_client')
        }
        const alice = await newWallet('alice')
        const grant = await requestInteractiveGrant(
          app,
          node.authUrl,
          outgoingAccess(alice) as never,
          finish.uri,
        )
        const query = await decideThroughIdp(node, grant, 'accept')
        const body = JSON.stringify({ interact_ref: query.get('interact_ref') })
        for (const key of [undefined, mallory.key]) {
          const continued = await sendRaw({
            method: 'POST',
            url: grant.pending.continue.uri,
            accessToken: grant.pending.continue.access_token.value,
            body,
            key,
          })
          expect(continued.status).toBe(401)
        }
        // The token still works and the grant can still be continued by its own client.
        const bob = await newWallet('bob')
        const created = await app.op.incomingPayment.create(
          { url: node.opUrl, accessToken: token.value },
          { walletAddress: bob },
        )
        expect(created.walletAddress).toBe(bob)
        const issued = await app.op.grant.continue(
          {
            url: grant.pending.continue.uri,
            accessToken: grant.pending.continue.access_token.value,
          },
          { interact_ref: query.get('interact_ref') ?? '' },
        )
        expect(grantToken(issued).value).toBeTruthy()
      })

      it('refuses a wrong or missing x-idp-secret and a replayed finish', async () => {
        const alice = await newWallet('alice')
        const grant = await requestInteractiveGrant(
          app,
          node.authUrl,
          outgoingAccess(alice) as never,
          finish.uri,
        )
        const start = await fetch(grant.pending.interact.redirect, { redirect: 'manual' })
        const idp = new URL(start.headers.get('location') ?? '')
        const id = idp.searchParams.get('interactId')
        const nonce = idp.searchParams.get('nonce')
        const accept = `${node.interactionUrl}/grant/${id}/${nonce}/accept`
        const noSecret = await fetch(accept, { method: 'POST' })
        expect(noSecret.status).toBe(401)
        const wrong = await fetch(accept, {
          method: 'POST',
          headers: { 'x-idp-secret': `${idpSecret}x` },
        })
        expect(wrong.status).toBe(401)
        // Nothing was decided: the finish is not available yet.
        const cookie = start.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ')
        const early = await fetch(`${node.authUrl}/interact/${id}/${nonce}/finish`, {
          headers: { cookie },
          redirect: 'manual',
        })
        expect(early.status).not.toBe(302)
        const good = await fetch(accept, { method: 'POST', headers: { 'x-idp-secret': idpSecret } })
        expect(good.status).toBe(202)
        const first = await fetch(`${node.authUrl}/interact/${id}/${nonce}/finish`, {
          headers: { cookie },
          redirect: 'manual',
        })
        expect(first.status).toBe(302)
        const replay = await fetch(`${node.authUrl}/interact/${id}/${nonce}/finish`, {
          headers: { cookie },
          redirect: 'manual',
        })
        expect(replay.status).not.toBe(302)
      })
    })
  },
)
