// The interactive grant as a user lives it, against the node as `npm start` runs it (the built
// bundle in its own process, nothing auth-related configured, WAIT_SECONDS at its default): a
// real headless Chromium (Debian's, driven by playwright-core) follows the interact redirect to
// the node's built-in consent page, reads who asks for what, clicks Accept or Reject and lands
// on the client's finish URI. Then the client continues (by the finish redirect's interact_ref,
// or by polling), pays, and the money arrives.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accessTokenOf,
  expectedFinishHash,
  newClient,
  newWalletAddress,
  requestInteractiveGrant,
  settledPayment,
  spawnEmbeddedAuthNode,
  startFinishReceiver,
  type EmbeddedAuthUrls,
  type FinishReceiver,
  type TestClient,
} from '../support/embedded-auth-e2e.ts'
import { startFundingAse, type FundingAse } from '../support/funding-ase.ts'
import { createAsset, depositAssetLiquidity } from '../support/open-payments-e2e.ts'
import { buildNodeBundle } from '../support/spawn-node.ts'

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const haveChromium = existsSync(chromiumPath)
if (!haveChromium) {
  console.warn(
    `embedded-auth browser e2e skipped: no Chromium at ${chromiumPath} ` +
      '(apt-get install chromium, or set CHROMIUM_PATH)',
  )
}

const usd = (value: number) => ({ value: String(value), assetCode: 'USD', assetScale: 2 })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!haveChromium)('the built-in consent page in headless Chromium', () => {
  let browser: Browser
  let node: EmbeddedAuthUrls & { stop(): Promise<unknown> }
  let ase: FundingAse
  let finish: FinishReceiver
  let usdAssetId: string
  let app: TestClient

  const newWallet = (name: string) => newWalletAddress(node, usdAssetId, name)
  const token = accessTokenOf
  const nonInteractive = async (access: never) =>
    token(await app.op.grant.request({ url: node.authUrl }, { access_token: { access } }))
  const outgoingAccess = (sender: string) =>
    [
      {
        type: 'outgoing-payment',
        actions: ['create', 'read'],
        identifier: sender,
        limits: { debitAmount: usd(750) },
      },
    ] as never
  /** Opens the interact redirect, checks what the consent page says, clicks `button`. */
  const consent = async (redirect: string, button: 'accept' | 'reject', expectText: string[]) => {
    const page = await browser.newPage()
    try {
      await page.goto(redirect)
      const text = await page.locator('body').innerText()
      for (const expected of expectText) expect(text).toContain(expected)
      await Promise.all([page.waitForURL(/\/finish/), page.click(`#${button}`)])
      return new URL(page.url()).searchParams
    } finally {
      await page.close()
    }
  }
  const paymentState = async (id: string) => (await settledPayment(node.adminUrl, id)).state

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    ase = await startFundingAse(() => node.adminUrl)
    finish = await startFinishReceiver()
    // Nothing auth-related configured: the node embeds its server and its consent page.
    await buildNodeBundle()
    node = await spawnEmbeddedAuthNode({ DATABASE_URL: 'pglite://memory', WEBHOOK_URL: ase.url })
    usdAssetId = await createAsset(node.adminUrl, 'USD')
    await depositAssetLiquidity(node.adminUrl, usdAssetId, 10_000_000n)
    app = await newClient(node, usdAssetId)
  })

  afterAll(async () => {
    await browser?.close()
    await node?.stop()
    await finish?.close()
    await ase?.close()
  })

  it('accepting in the page: finish redirect with a hash that verifies, payment completed', async () => {
    const alice = await newWallet('alice')
    const bob = await newWallet('bob')
    const incomingToken = await nonInteractive([
      { type: 'incoming-payment', actions: ['create', 'read'] },
    ] as never)
    const incoming = await app.op.incomingPayment.create(
      { url: node.opUrl, accessToken: incomingToken.value },
      { walletAddress: bob, incomingAmount: usd(500) },
    )
    const quoteToken = await nonInteractive([
      { type: 'quote', actions: ['create'], identifier: alice },
    ] as never)
    const quote = await app.op.quote.create(
      { url: node.opUrl, accessToken: quoteToken.value },
      { walletAddress: alice, receiver: incoming.id, method: 'ilp' },
    )

    const grant = await requestInteractiveGrant(
      app,
      node.authUrl,
      outgoingAccess(alice),
      finish.uri,
    )
    const query = await consent(grant.pending.interact.redirect, 'accept', [
      app.url,
      'outgoing-payment',
      alice,
      '7.50',
      'USD',
    ])
    const interactRef = query.get('interact_ref') ?? ''
    expect(query.get('hash')).toBe(expectedFinishHash(grant, interactRef, node.authUrl))
    const continued = await app.op.grant.continue(
      { url: grant.pending.continue.uri, accessToken: grant.pending.continue.access_token.value },
      { interact_ref: interactRef },
    )
    const payment = await app.op.outgoingPayment.create(
      { url: node.opUrl, accessToken: token(continued).value },
      { walletAddress: alice, quoteId: quote.id },
    )
    expect(await paymentState(payment.id)).toBe('COMPLETED')
    const read = await app.op.incomingPayment.get({
      url: incoming.id,
      accessToken: incomingToken.value,
    })
    expect(read.receivedAmount).toEqual(usd(500))
  })

  it('accepting, then continuing by polling, issues the token', async () => {
    const alice = await newWallet('alice')
    const asked = Date.now()
    const grant = await requestInteractiveGrant(app, node.authUrl, outgoingAccess(alice), undefined)
    expect(grant.pending.continue.wait).toBe(5)
    await consent(grant.pending.interact.redirect, 'accept', [alice])
    // WAIT_SECONDS, the default 5, after the grant request.
    await sleep(Math.max(0, (grant.pending.continue.wait ?? 5) * 1000 + 100 - (Date.now() - asked)))
    const continued = await app.op.grant.continue({
      url: grant.pending.continue.uri,
      accessToken: grant.pending.continue.access_token.value,
    })
    expect(token(continued).access?.[0]).toMatchObject({ type: 'outgoing-payment' })
  })

  it('rejecting in the page ends in grant_rejected and no token', async () => {
    const alice = await newWallet('alice')
    const grant = await requestInteractiveGrant(
      app,
      node.authUrl,
      outgoingAccess(alice),
      finish.uri,
    )
    const query = await consent(grant.pending.interact.redirect, 'reject', [alice])
    expect(query.get('result')).toBe('grant_rejected')
    expect(query.has('interact_ref')).toBe(false)
    await expect(
      app.op.grant.continue({
        url: grant.pending.continue.uri,
        accessToken: grant.pending.continue.access_token.value,
      }),
    ).rejects.toMatchObject({ status: 401 })
  })
})
