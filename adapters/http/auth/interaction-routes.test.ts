import { describe, expect, it } from 'vitest'
import {
  clientFinishUri,
  clientNonce,
  storePendingGrant,
} from '../../../application/auth/interaction-fixtures.ts'
import { gnapFinishHash } from '../../auth/gnap-finish-hash.ts'
import {
  cookieOf,
  setupInteractionApps,
  testAuthServerUrl,
  testIdpSecret,
} from './interaction-routes-fixtures.ts'

const idp = { 'x-idp-secret': testIdpSecret }

async function started(clientName?: string) {
  const apps = await setupInteractionApps(clientName ? { clientName } : {})
  const { id, nonce } = apps.interaction
  const start = await apps.authApp.request(`/interact/${id}/${nonce}`)
  const finishPath = `/interact/${id}/${nonce}/finish`
  const finish = (cookie?: string) =>
    apps.authApp.request(finishPath, cookie ? { headers: { cookie } } : {})
  const choose = (choice: 'accept' | 'reject') =>
    apps.idpApp.request(`/grant/${id}/${nonce}/${choice}`, { method: 'POST', headers: idp })
  return { ...apps, start, finish, choose, finishPath }
}

describe('GET /interact/:id/:nonce', () => {
  it('sets an HttpOnly cookie scoped to the interaction and redirects to the IdP', async () => {
    const { start, interaction } = await started('Alice Wallet')
    expect(start.status).toBe(302)
    const location = new URL(start.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:3009/consent')
    expect(location.searchParams.get('interactId')).toBe(interaction.id)
    expect(location.searchParams.get('nonce')).toBe(interaction.nonce)
    expect(location.searchParams.get('clientName')).toBe('Alice Wallet')
    expect(location.searchParams.get('clientUri')).toBe('https://wallet.example/alice')
    const setCookie = start.headers.get('set-cookie') ?? ''
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Lax')
    expect(setCookie).toContain('Secure')
    expect(setCookie).toContain(`Path=/interact/${interaction.id}/${interaction.nonce}`)
    expect(setCookie).toContain('Max-Age=600')
    expect(start.headers.get('cache-control')).toBe('no-store')
  })

  it('sends SameSite=None when configured', async () => {
    const apps = await setupInteractionApps({ sameSite: 'none' })
    const { id, nonce } = apps.interaction
    const start = await apps.authApp.request(`/interact/${id}/${nonce}`)
    expect(start.headers.get('set-cookie')).toContain('SameSite=None')
  })

  it('refuses an unknown nonce and an expired interaction with no cookie', async () => {
    const apps = await setupInteractionApps()
    const { id, nonce } = apps.interaction
    const wrong = await apps.authApp.request(`/interact/${id}/WRONG`)
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({
      error: { code: 'unknown_interaction', description: 'unknown interaction' },
    })
    apps.clock.advance(600_000)
    const expired = await apps.authApp.request(`/interact/${id}/${nonce}`)
    expect(expired.status).toBe(401)
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_interaction',
    )
    expect(expired.headers.get('set-cookie')).toBeNull()
  })
})

describe('the front channel, start to finish', () => {
  it('start, IdP details, accept, finish: hash verifies and interact_ref is the ref', async () => {
    const { start, finish, choose, idpApp, interaction, grants } = await started()
    const cookie = cookieOf(start)
    const details = await idpApp.request(`/grant/${interaction.id}/${interaction.nonce}`, {
      headers: idp,
    })
    expect(details.status).toBe(200)
    expect(((await details.json()) as { state: string }).state).toBe('PENDING')
    expect((await choose('accept')).status).toBe(202)
    const done = await finish(cookie)
    expect(done.status).toBe(302)
    const location = new URL(done.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(clientFinishUri.split('?')[0])
    expect(location.searchParams.get('interact_ref')).toBe(interaction.ref)
    const expected = gnapFinishHash(
      `${clientNonce}\n${interaction.nonce}\n${interaction.ref}\n${testAuthServerUrl}/`,
    )
    expect(location.searchParams.get('hash')).toBe(expected)
    expect(done.headers.get('set-cookie')).toContain('Max-Age=0')
    expect((await grants.findById(interaction.grantId))?.state).toBe('APPROVED')
  })

  it('reject, finish: result=grant_rejected without a ref', async () => {
    const { start, finish, choose, interaction, grants } = await started()
    expect((await choose('reject')).status).toBe(202)
    const done = await finish(cookieOf(start))
    expect(done.status).toBe(302)
    const location = new URL(done.headers.get('location') ?? '')
    expect(location.searchParams.get('result')).toBe('grant_rejected')
    expect(location.searchParams.has('interact_ref')).toBe(false)
    const grant = await grants.findById(interaction.grantId)
    expect([grant?.state, grant?.finalizationReason]).toEqual(['FINALIZED', 'REJECTED'])
  })

  it('refuses a replayed finish, which approves nothing', async () => {
    const { start, finish, choose, interaction, grants } = await started()
    const cookie = cookieOf(start)
    await choose('reject')
    expect((await finish(cookie)).status).toBe(302)
    const replay = await finish(cookie)
    expect(replay.status).toBe(401)
    expect(replay.headers.get('location')).toBeNull()
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_interaction',
    )
    expect((await grants.findById(interaction.grantId))?.finalizationReason).toBe('REJECTED')
  })

  it('refuses a finish without the cookie, with a forged one, or one of another interaction', async () => {
    const { start, finish, choose, grants, authApp, clock } = await started()
    await choose('accept')
    const cookie = cookieOf(start)
    const [name, value] = cookie.split('=') as [string, string]
    const forged = `${name}=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`
    const other = await storePendingGrant(grants, new Date(clock.now()))
    const otherStart = await authApp.request(
      `/interact/${other.interaction.id}/${other.interaction.nonce}`,
    )
    for (const sent of [undefined, forged, `${name}=`, cookieOf(otherStart)]) {
      const refused = await finish(sent)
      expect(refused.status).toBe(401)
      expect(await refused.json()).toEqual({
        error: { code: 'invalid_request', description: 'invalid session' },
      })
    }
    // The refusals consumed nothing: the browser that started can still finish.
    expect((await finish(cookie)).status).toBe(302)
  })

  it('refuses a finish before the user answered', async () => {
    const { start, finish } = await started()
    const early = await finish(cookieOf(start))
    expect(early.status).toBe(401)
    expect(early.headers.get('location')).toBeNull()
  })

  it('answers 202 without a redirect when the grant asked for no finish', async () => {
    const apps = await setupInteractionApps()
    const bare = await storePendingGrant(apps.grants, new Date(apps.clock.now()), {
      grant: { interact: { start: ['redirect'] } },
    })
    const { id, nonce } = bare.interaction
    const start = await apps.authApp.request(`/interact/${id}/${nonce}`)
    await apps.idpApp.request(`/grant/${id}/${nonce}/accept`, { method: 'POST', headers: idp })
    const done = await apps.authApp.request(`/interact/${id}/${nonce}/finish`, {
      headers: { cookie: cookieOf(start) },
    })
    expect(done.status).toBe(202)
    expect(done.headers.get('location')).toBeNull()
  })
})
