import { describe, expect, it } from 'vitest'
import { gnapFinishHash } from '../../adapters/auth/gnap-finish-hash.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { finishHashInput } from '../../domain/auth/interaction.ts'
import { alice, authServerUrl, fakeIds } from './auth-test-fixtures.ts'
import { makeChooseInteraction } from './interaction-decide.ts'
import { makeGetInteractionDetails } from './interaction-details.ts'
import {
  clientFinishUri,
  clientNonce,
  interactionExpirySeconds,
  outgoingAccess,
  storePendingGrant,
} from './interaction-fixtures.ts'
import { makeFinishInteraction } from './interaction-finish.ts'
import { makeStartInteraction } from './interaction-start.ts'

const identityServerUrl = 'https://idp.example/consent?tenant=t1'

async function setup(clientName?: string) {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const clientNames = { publicName: async (url: string) => (url === alice ? clientName : 'x') }
  const pending = await storePendingGrant(grants, new Date(clock.now()))
  const deps = { grants, clock, clientNames, identityServerUrl, authServerUrl }
  return {
    clock,
    grants,
    ...pending,
    start: makeStartInteraction(deps),
    details: makeGetInteractionDetails(deps),
    choose: makeChooseInteraction(deps),
    finish: makeFinishInteraction({ ...deps, finishHash: gnapFinishHash }),
  }
}

describe('startInteraction', () => {
  it('redirects to the identity provider with the interaction and the client', async () => {
    const { start, interaction } = await setup('Alice Wallet')
    const started = await start(interaction.id, interaction.nonce)
    expect(started.ok).toBe(true)
    if (!started.ok) return
    const url = new URL(started.value.redirectUrl)
    expect(`${url.origin}${url.pathname}`).toBe('https://idp.example/consent')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 't1',
      interactId: interaction.id,
      nonce: interaction.nonce,
      clientName: 'Alice Wallet',
      clientUri: alice,
    })
  })

  it('names the client by its URL without a publicName, and a bare key by its key id', async () => {
    const { start, interaction, grants, clock } = await setup(undefined)
    const started = await start(interaction.id, interaction.nonce)
    expect(started.ok && new URL(started.value.redirectUrl).searchParams.get('clientName')).toBe(
      alice,
    )
    const jwk = { kid: 'k1', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } as const
    const keyed = await storePendingGrant(grants, new Date(clock.now()), {
      grant: { client: { jwk } },
    })
    const byKey = await start(keyed.interaction.id, keyed.interaction.nonce)
    expect(byKey.ok).toBe(true)
    if (!byKey.ok) return
    const params = new URL(byKey.value.redirectUrl).searchParams
    expect(params.get('clientName')).toBe('Unidentified client (key k1)')
    expect(params.get('clientUri')).toBe('')
  })

  it('refuses a wrong nonce, an unknown id and a revoked grant', async () => {
    const { start, interaction, grants, clock } = await setup()
    expect(await start(interaction.id, 'wrong')).toEqual({
      ok: false,
      error: 'unknown_interaction',
    })
    expect(await start(fakeIds.uuid(), interaction.nonce)).toEqual({
      ok: false,
      error: 'unknown_interaction',
    })
    await grants.revokeGrant(interaction.grantId, new Date(clock.now()))
    expect(await start(interaction.id, interaction.nonce)).toEqual({
      ok: false,
      error: 'unknown_interaction',
    })
  })

  it('refuses an expired interaction, and one already answered', async () => {
    const { start, choose, interaction, clock } = await setup()
    clock.advance(interactionExpirySeconds * 1000 - 1)
    expect((await start(interaction.id, interaction.nonce)).ok).toBe(true)
    expect((await choose(interaction.id, interaction.nonce, 'accept')).ok).toBe(true)
    expect(await start(interaction.id, interaction.nonce)).toEqual({
      ok: false,
      error: 'not_pending',
    })
    const other = await setup()
    other.clock.advance(interactionExpirySeconds * 1000)
    expect(await other.start(other.interaction.id, other.interaction.nonce)).toEqual({
      ok: false,
      error: 'expired',
    })
  })
})

describe('getInteractionDetails', () => {
  it('gives the client, the access with its limits, the state and the expiry', async () => {
    const { details, interaction, grant, clock } = await setup('Alice Wallet')
    const found = await details(interaction.id, interaction.nonce)
    expect(found).toEqual({
      ok: true,
      value: {
        interactionId: interaction.id,
        grantId: grant.id,
        state: 'PENDING',
        client: { name: 'Alice Wallet', uri: alice },
        access: [outgoingAccess],
        expiresAt: new Date(clock.now() + interactionExpirySeconds * 1000),
      },
    })
  })

  it('refuses an unknown or expired interaction; a decided one shows its state', async () => {
    const { details, choose, interaction, clock } = await setup()
    expect(await details(interaction.id, 'nope')).toEqual({
      ok: false,
      error: 'unknown_interaction',
    })
    await choose(interaction.id, interaction.nonce, 'reject')
    clock.advance(interactionExpirySeconds * 1000)
    const decided = await details(interaction.id, interaction.nonce)
    expect(decided.ok && decided.value.state).toBe('DENIED')
    const other = await setup()
    other.clock.advance(interactionExpirySeconds * 1000)
    expect(await other.details(other.interaction.id, other.interaction.nonce)).toEqual({
      ok: false,
      error: 'expired',
    })
  })
})

describe('chooseInteraction', () => {
  it('accept approves the grant; a second answer is refused and changes nothing', async () => {
    const { choose, grants, interaction } = await setup()
    expect(await choose(interaction.id, interaction.nonce, 'accept')).toEqual({
      ok: true,
      value: 'APPROVED',
    })
    expect((await grants.findById(interaction.grantId))?.state).toBe('APPROVED')
    expect(await choose(interaction.id, interaction.nonce, 'reject')).toEqual({
      ok: false,
      error: 'already_decided',
    })
    expect((await grants.findById(interaction.grantId))?.state).toBe('APPROVED')
  })

  it('reject finalizes the grant as REJECTED; answering again says user_denied', async () => {
    const { choose, grants, interaction } = await setup()
    expect(await choose(interaction.id, interaction.nonce, 'reject')).toEqual({
      ok: true,
      value: 'DENIED',
    })
    const grant = await grants.findById(interaction.grantId)
    expect([grant?.state, grant?.finalizationReason]).toEqual(['FINALIZED', 'REJECTED'])
    expect(await choose(interaction.id, interaction.nonce, 'accept')).toEqual({
      ok: false,
      error: 'user_denied',
    })
  })

  it('refuses a wrong nonce and an expired interaction, deciding nothing', async () => {
    const { choose, grants, interaction, clock } = await setup()
    expect(await choose(interaction.id, 'wrong', 'accept')).toEqual({
      ok: false,
      error: 'unknown_interaction',
    })
    clock.advance(interactionExpirySeconds * 1000)
    expect(await choose(interaction.id, interaction.nonce, 'accept')).toEqual({
      ok: false,
      error: 'expired',
    })
    expect((await grants.findById(interaction.grantId))?.state).toBe('PENDING')
  })
})

describe('finishInteraction', () => {
  it('after accept: the finish uri with a hash that verifies and the ref; once only', async () => {
    const { choose, finish, grants, grant, interaction } = await setup()
    await choose(interaction.id, interaction.nonce, 'accept')
    const finished = await finish(interaction.id, interaction.nonce)
    expect(finished.ok).toBe(true)
    if (!finished.ok || finished.value.kind !== 'redirect') throw new Error('no redirect')
    const url = new URL(finished.value.url)
    expect(`${url.origin}${url.pathname}`).toBe('https://client.example/finish')
    expect(url.searchParams.get('session')).toBe('s1')
    expect(url.searchParams.get('interact_ref')).toBe(interaction.ref)
    const expected = gnapFinishHash(
      `${clientNonce}\n${interaction.nonce}\n${interaction.ref}\nhttps://auth.example/`,
    )
    expect(url.searchParams.get('hash')).toBe(expected)
    expect(finishHashInput(grant, interaction, authServerUrl)).toContain(clientNonce)
    expect(await finish(interaction.id, interaction.nonce)).toEqual({
      ok: false,
      error: 'already_finished',
    })
    expect((await grants.findById(interaction.grantId))?.state).toBe('APPROVED')
  })

  it('after reject: result=grant_rejected and no ref; the replay approves nothing', async () => {
    const { choose, finish, grants, interaction } = await setup()
    await choose(interaction.id, interaction.nonce, 'reject')
    const finished = await finish(interaction.id, interaction.nonce)
    if (!finished.ok || finished.value.kind !== 'redirect') throw new Error('no redirect')
    const url = new URL(finished.value.url)
    expect(url.searchParams.get('result')).toBe('grant_rejected')
    expect(url.searchParams.has('interact_ref')).toBe(false)
    expect(url.searchParams.has('hash')).toBe(false)
    expect((await finish(interaction.id, interaction.nonce)).ok).toBe(false)
    const grant = await grants.findById(interaction.grantId)
    expect([grant?.state, grant?.finalizationReason]).toEqual(['FINALIZED', 'REJECTED'])
  })

  it('is refused before the answer and for an unknown interaction', async () => {
    const { finish, interaction } = await setup()
    expect(await finish(interaction.id, interaction.nonce)).toEqual({
      ok: false,
      error: 'not_decided',
    })
    expect(await finish(interaction.id, 'wrong')).toEqual({
      ok: false,
      error: 'unknown_interaction',
    })
  })

  it('says no_finish when the grant asked for no finish redirect', async () => {
    const { choose, finish, grants, clock } = await setup()
    const bare = await storePendingGrant(grants, new Date(clock.now()), {
      grant: { interact: { start: ['redirect'] } },
    })
    await choose(bare.interaction.id, bare.interaction.nonce, 'accept')
    expect(await finish(bare.interaction.id, bare.interaction.nonce)).toEqual({
      ok: true,
      value: { kind: 'no_finish', decision: 'APPROVED' },
    })
    expect(clientFinishUri).toContain('client.example')
  })
})
