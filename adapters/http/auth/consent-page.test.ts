import { describe, expect, it } from 'vitest'
import { storePendingGrant } from '../../../application/auth/interaction-fixtures.ts'
import { makeIdpApp } from './idp-app.ts'
import { setupInteractionApps, cookieOf, testAuthServerUrl } from './interaction-routes-fixtures.ts'

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
})

const tokenIn = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? ''

async function setup(options: Parameters<typeof setupInteractionApps>[0] = {}) {
  const apps = await setupInteractionApps(options)
  const { id, nonce } = apps.interaction
  const pagePath = `/consent?interactId=${id}&nonce=${nonce}&clientName=Forged&clientUri=x`
  const page = (headers: Record<string, string> = {}) => apps.idpApp.request(pagePath, { headers })
  const answer = (decision: string, token: string, headers: Record<string, string> = {}) => {
    const init = form({ interactId: id, nonce, token, decision })
    return apps.idpApp.request('/consent', { ...init, headers: { ...init.headers, ...headers } })
  }
  const stateOf = async () => (await apps.grants.findById(apps.interaction.grantId))?.state
  return {
    ...apps,
    page,
    answer,
    stateOf,
    finishUrl: `${testAuthServerUrl}/interact/${id}/${nonce}/finish`,
  }
}

describe('GET /consent', () => {
  it('shows the client from the grant, escaped, and each access item with its limits', async () => {
    const { page } = await setup({ clientName: '<script>alert("x")</script>' })
    const response = await page()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    const html = await response.text()
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    // The clientName of the URL is not shown: anyone can write it.
    expect(html).not.toContain('Forged')
    expect(html).toContain('Outgoing payments</strong> (<code>outgoing-payment</code>)')
    expect(html).toContain('<p id="client-uri"><code>https://wallet.example/alice</code></p>')
    expect(html).toContain('<dd class="debit-amount">123.45 USD</dd>')
    expect(html).toContain('https://wallet.example/bob/incoming-payments/1')
    expect(html).toContain('R12/2025-01-01T00:00:00Z/P1M')
    expect(html).toContain('create, read')
    expect(html).toContain('<button type="submit" id="accept" name="decision" value="accept">')
    expect(html).toContain('<button type="submit" id="reject" name="decision" value="reject">')
    expect(tokenIn(html)).not.toBe('')
  })

  it('says so for an unknown, incomplete or expired request', async () => {
    const { idpApp, page, clock, interaction } = await setup()
    const unknown = await idpApp.request(`/consent?interactId=${interaction.id}&nonce=nope`)
    expect(unknown.status).toBe(404)
    expect((await idpApp.request('/consent?interactId=x')).status).toBe(400)
    clock.advance(600_000)
    expect((await page()).status).toBe(410)
  })
})

describe('POST /consent', () => {
  it('Accept approves and sends the browser to the finish URL (303)', async () => {
    const { page, answer, stateOf, finishUrl } = await setup()
    const token = tokenIn(await (await page()).text())
    const response = await answer('accept', token)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(finishUrl)
    expect(await stateOf()).toBe('APPROVED')
  })

  it('Reject rejects; a second answer is refused; the page then offers Continue', async () => {
    const { page, answer, stateOf, finishUrl } = await setup()
    const token = tokenIn(await (await page()).text())
    expect((await answer('reject', token)).status).toBe(303)
    expect(await stateOf()).toBe('FINALIZED')
    const second = await answer('accept', token)
    expect(second.status).toBe(409)
    expect(await second.text()).toContain(`<a id="continue" class="button" href="${finishUrl}">`)
    expect(await stateOf()).toBe('FINALIZED')
    const html = await (await page()).text()
    expect(html).toContain('You rejected this request.')
    expect(html).toContain(`<a id="continue" class="button" href="${finishUrl}">`)
    expect(html).not.toContain('id="accept"')
  })

  it('refuses a missing or wrong token and decides nothing', async () => {
    const { answer, stateOf, page, grants, clock, idpApp, interaction } = await setup()
    const token = tokenIn(await (await page()).text())
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
    expect((await answer('accept', tampered)).status).toBe(403)
    const { id, nonce } = interaction
    const noToken = form({ interactId: id, nonce, decision: 'accept' })
    expect((await idpApp.request('/consent', noToken)).status).toBe(400)
    expect((await answer('maybe', token)).status).toBe(400)
    // Another interaction's token does not fit this one.
    const other = await storePendingGrant(grants, new Date(clock.now()))
    const otherPage = await idpApp.request(
      `/consent?interactId=${other.interaction.id}&nonce=${other.interaction.nonce}`,
    )
    expect((await answer('accept', tokenIn(await otherPage.text()))).status).toBe(403)
    expect(await stateOf()).toBe('PENDING')
  })
})

describe('the consent page with requireSecret (production)', () => {
  const basic = (user: string, password: string) => ({
    authorization: `Basic ${btoa(`${user}:${password}`)}`,
  })

  it('requires HTTP Basic auth with the secret for the page and the answer', async () => {
    const { page, answer, stateOf } = await setup({ requireSecret: 's3cret-password' })
    const none = await page()
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toContain('Basic')
    expect((await page(basic('operator', 'wrong'))).status).toBe(401)
    const shown = await page(basic('operator', 's3cret-password'))
    expect(shown.status).toBe(200)
    const token = tokenIn(await shown.text())
    expect((await answer('accept', token)).status).toBe(401)
    expect((await answer('accept', token, basic('x', 's3cret-passwor'))).status).toBe(401)
    expect(await stateOf()).toBe('PENDING')
    expect((await answer('accept', token, basic('x', 's3cret-password'))).status).toBe(303)
    expect(await stateOf()).toBe('APPROVED')
  })

  it('leaves the back channel to x-idp-secret', async () => {
    const { idpApp, interaction } = await setup({ requireSecret: 's3cret-password' })
    const response = await idpApp.request(`/grant/${interaction.id}/${interaction.nonce}`, {
      headers: { 'x-idp-secret': 'idp-secret-0123456789' },
    })
    expect(response.status).toBe(200)
  })
})

describe('the whole interaction through the consent page', () => {
  it('start -> consent page -> Accept -> finish -> client finish uri with the ref', async () => {
    const { authApp, idpApp, interaction } = await setup()
    const start = await authApp.request(`/interact/${interaction.id}/${interaction.nonce}`)
    const consentUrl = new URL(start.headers.get('location') ?? '')
    const shown = await idpApp.request(`${consentUrl.pathname}${consentUrl.search}`)
    const token = tokenIn(await shown.text())
    const answered = await idpApp.request(
      '/consent',
      form({ interactId: interaction.id, nonce: interaction.nonce, token, decision: 'accept' }),
    )
    const finishUrl = new URL(answered.headers.get('location') ?? '')
    const done = await authApp.request(finishUrl.pathname, {
      headers: { cookie: cookieOf(start) },
    })
    expect(done.status).toBe(302)
    const back = new URL(done.headers.get('location') ?? '')
    expect(back.searchParams.get('interact_ref')).toBe(interaction.ref)
    expect(back.searchParams.get('hash')).not.toBeNull()
  })
})

describe('a disabled consent page', () => {
  it('is not mounted', async () => {
    const { interaction } = await setup()
    const app = makeIdpApp({
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      identityServerSecret: 'x',
      getInteractionDetails: async () => ({ ok: false, error: 'unknown_interaction' }),
      chooseInteraction: async () => ({ ok: false, error: 'unknown_interaction' }),
      consentPage: { enabled: false, authServerUrl: testAuthServerUrl, csrfKey: 'k' },
    })
    const { id, nonce } = interaction
    expect((await app.request(`/consent?interactId=${id}&nonce=${nonce}`)).status).toBe(404)
  })
})
