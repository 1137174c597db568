import { describe, expect, it } from 'vitest'
import type { GrantInteract } from '../../domain/auth/grant.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { alice, authServerUrl, fakeIds, fakeSecrets } from './auth-test-fixtures.ts'
import { makeContinueGrant } from './continue-grant.ts'
import { makeIntrospectToken } from './introspect-token.ts'
import { makeRequestGrant } from './request-grant.ts'

const outgoing: AccessItem = {
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  limits: { debitAmount: { value: 500n, assetCode: 'USD', assetScale: 2 } },
}
const client = { walletAddress: alice }
const pollOnly: GrantInteract = { start: ['redirect'] }
const withFinish: GrantInteract = {
  start: ['redirect'],
  finish: { method: 'redirect', uri: 'https://client.example/return', nonce: 'CLIENT-NONCE' },
}
const config = {
  authServerUrl,
  accessTokenExpirySeconds: 600,
  waitSeconds: 5,
  interactionExpirySeconds: 600,
  incomingPaymentInteraction: false,
  quoteInteraction: false,
  listAllAccessInteraction: true,
}

async function setup(interact: GrantInteract) {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const deps = { grants, clock, ids: fakeIds, secrets: fakeSecrets, config }
  const requested = await makeRequestGrant(deps)({ access: [outgoing], client, interact })
  if (!requested.ok || requested.value.kind !== 'pending') throw new Error('not pending')
  const { grant, interaction } = requested.value
  const continueGrant = makeContinueGrant(deps)
  const poll = () =>
    continueGrant({ continueId: grant.continueId, continueToken: grant.continueToken })
  const withRef = (interactRef: string) =>
    continueGrant({ continueId: grant.continueId, continueToken: grant.continueToken, interactRef })
  const decide = async (decision: 'APPROVED' | 'DENIED') => {
    const decided = await grants.decideInteraction(interaction.id, decision, new Date(clock.now()))
    expect(decided.ok).toBe(true)
  }
  const introspect = makeIntrospectToken({ grants, clock })
  return { clock, grants, grant, interaction, continueGrant, poll, withRef, decide, introspect }
}

describe('continueGrant by polling', () => {
  it('is too_fast before wait, pending with wait after, then issues once approved', async () => {
    const { poll, clock, decide, grant, grants, introspect } = await setup(pollOnly)
    expect(await poll()).toEqual({ ok: false, error: 'too_fast' })
    clock.advance(5_000)
    expect(await poll()).toEqual({
      ok: true,
      value: {
        kind: 'pending',
        response: {
          continue: {
            access_token: { value: grant.continueToken },
            uri: `https://auth.example/continue/${grant.continueId}`,
            wait: 5,
          },
        },
      },
    })
    // The poll was recorded: the next one must wait again.
    clock.advance(4_999)
    expect(await poll()).toEqual({ ok: false, error: 'too_fast' })
    await decide('APPROVED')
    clock.advance(1)
    const issued = await poll()
    if (!issued.ok || issued.value.kind !== 'issued') throw new Error('not issued')
    const { access_token, continue: cont } = issued.value.response
    expect(cont).toEqual({
      access_token: { value: grant.continueToken },
      uri: `https://auth.example/continue/${grant.continueId}`,
    })
    expect(access_token).toMatchObject({ expires_in: 600, access: [outgoing] })
    expect(access_token.manage).toMatch(/^https:\/\/auth\.example\/token\/.+/)
    expect(await introspect({ accessToken: access_token.value })).toMatchObject({
      active: true,
      grant: grant.id,
      access: [outgoing],
    })
    expect(await grants.findById(grant.id)).toMatchObject({
      state: 'FINALIZED',
      finalizationReason: 'ISSUED',
    })
    // Issued once: continuing again gets no second token.
    clock.advance(5_000)
    expect(await poll()).toEqual({ ok: false, error: 'invalid_continuation' })
  })

  it('says user_denied once the user rejected', async () => {
    const { poll, clock, decide } = await setup(pollOnly)
    await decide('DENIED')
    clock.advance(5_000)
    expect(await poll()).toEqual({ ok: false, error: 'user_denied' })
  })

  it('refuses polling a grant whose client asked for the finish redirect (Rafiki)', async () => {
    const { poll, clock } = await setup(withFinish)
    clock.advance(5_000)
    expect(await poll()).toEqual({ ok: false, error: 'request_denied' })
  })

  it('refuses once the interaction expired while pending', async () => {
    const { poll, clock } = await setup(pollOnly)
    clock.advance(600_000)
    expect(await poll()).toEqual({ ok: false, error: 'request_denied' })
  })

  it('lets one of two concurrent polls through', async () => {
    const { poll, clock } = await setup(pollOnly)
    clock.advance(5_000)
    const results = await Promise.all([poll(), poll()])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.error === 'too_fast')).toHaveLength(1)
  })
})

describe('continueGrant with interact_ref', () => {
  it('issues at once after approval with the right ref, without waiting', async () => {
    const { withRef, decide, interaction, introspect } = await setup(withFinish)
    await decide('APPROVED')
    const issued = await withRef(interaction.ref)
    if (!issued.ok || issued.value.kind !== 'issued') throw new Error('not issued')
    const token = issued.value.response.access_token.value
    expect(await introspect({ accessToken: token })).toMatchObject({ active: true })
    expect(await withRef(interaction.ref)).toEqual({ ok: false, error: 'invalid_continuation' })
  })

  it('refuses a wrong ref, and a right one before the user decided', async () => {
    const { withRef, decide, interaction } = await setup(withFinish)
    expect(await withRef(interaction.ref)).toEqual({ ok: false, error: 'request_denied' })
    await decide('APPROVED')
    expect(await withRef('not-the-ref')).toEqual({ ok: false, error: 'invalid_continuation' })
  })
})

describe('continueGrant refusals before any decision', () => {
  it('refuses an unknown continue id or a wrong continue token, changing nothing', async () => {
    const { continueGrant, grant, clock, decide, grants } = await setup(pollOnly)
    await decide('APPROVED')
    clock.advance(5_000)
    const { continueId, continueToken } = grant
    expect(await continueGrant({ continueId: 'nope', continueToken })).toEqual({
      ok: false,
      error: 'unknown_continuation',
    })
    const wrong = `${continueToken.slice(0, -1)}X`
    expect(await continueGrant({ continueId, continueToken: wrong })).toEqual({
      ok: false,
      error: 'unknown_continuation',
    })
    expect(await grants.findById(grant.id)).toMatchObject({ state: 'APPROVED' })
  })
})
