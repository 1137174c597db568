import { describe, expect, it } from 'vitest'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import type { PageRequest } from '../../domain/pagination/page.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { alice, authServerUrl, fakeIds, fakeSecrets } from './auth-test-fixtures.ts'
import { makeIntrospectToken } from './introspect-token.ts'
import {
  makeRequestGrant,
  requestGrantErrorCode,
  type RequestGrantConfig,
} from './request-grant.ts'

const incoming: AccessItem = {
  type: 'incoming-payment',
  actions: ['create', 'read', 'list'],
  identifier: alice,
}
const quote: AccessItem = { type: 'quote', actions: ['create', 'read'], identifier: alice }
const outgoing: AccessItem = { type: 'outgoing-payment', actions: ['create'], identifier: alice }
const client = { walletAddress: alice }
const interact = {
  start: ['redirect'],
  finish: { method: 'redirect', uri: 'https://client.example/return', nonce: 'CLIENT-NONCE' },
} as const

const everyGrant = {
  limit: 100,
  cursor: undefined,
  direction: 'forward',
  sortOrder: 'ASC',
} as const satisfies PageRequest

async function storedGrantCount(grants: AuthGrantRepository): Promise<number> {
  const page = await grants.list({}, everyGrant)
  if (!page.ok) throw new Error(page.error)
  return page.value.items.length
}

const defaults: RequestGrantConfig = {
  authServerUrl,
  accessTokenExpirySeconds: 900,
  waitSeconds: 5,
  incomingPaymentInteraction: false,
  quoteInteraction: false,
  listAllAccessInteraction: true,
}

function setup(config: Partial<RequestGrantConfig> = {}) {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const requestGrant = makeRequestGrant({
    grants,
    clock,
    ids: fakeIds,
    secrets: fakeSecrets,
    config: { ...defaults, ...config },
  })
  return { clock, grants, requestGrant, introspect: makeIntrospectToken({ grants, clock }) }
}

describe('requestGrant (non-interactive)', () => {
  it('issues a token and answers with the GNAP access_token and continue objects', async () => {
    const { requestGrant, grants } = setup()
    const result = await requestGrant({ access: [incoming, quote], client })
    expect(result.ok).toBe(true)
    if (!result.ok || result.value.kind !== 'issued') throw new Error('not issued')
    const { grant, response } = result.value
    const stored = await grants.findById(grant.id)
    expect(stored).toMatchObject({ state: 'FINALIZED', finalizationReason: 'ISSUED', client })
    expect(stored?.access).toEqual([incoming, quote])
    expect(await storedGrantCount(grants)).toBe(1)
    const token = await grants.findTokenByValue(response.access_token.value)
    expect(token?.grant.id).toBe(grant.id)
    expect(response).toEqual({
      access_token: {
        value: token?.token.value,
        manage: `https://auth.example/token/${token?.token.managementId}`,
        expires_in: 900,
        access: [incoming, quote],
      },
      continue: {
        access_token: { value: grant.continueToken },
        uri: `https://auth.example/continue/${grant.continueId}`,
      },
    })
    expect(response.continue.access_token.value).not.toBe(response.access_token.value)
  })

  it('issues a token that introspects active until ACCESS_TOKEN_EXPIRY_SECONDS', async () => {
    const { requestGrant, introspect, clock } = setup({ accessTokenExpirySeconds: 60 })
    const result = await requestGrant({ access: [quote], client })
    if (!result.ok || result.value.kind !== 'issued') throw new Error('not issued')
    const accessToken = result.value.response.access_token.value
    expect(await introspect({ accessToken })).toMatchObject({ active: true, client })
    clock.advance(60_000)
    expect(await introspect({ accessToken })).toEqual({ active: false })
  })

  it('refuses invalid access items as invalid_request and stores nothing', async () => {
    const { requestGrant, grants } = setup()
    const cases: [readonly AccessItem[], string][] = [
      [[], 'no_access'],
      [[{ type: 'quote', actions: ['list'] }], 'unknown_action'],
      [[{ type: 'quote', actions: ['read', 'read'] }], 'duplicate_action'],
      [[{ type: 'outgoing-payment', actions: ['create'] }], 'identifier_required'],
    ]
    for (const [access, error] of cases) {
      expect(await requestGrant({ access, client })).toEqual({ ok: false, error })
    }
    expect(await storedGrantCount(grants)).toBe(0)
  })

  it('follows the *_INTERACTION flags', async () => {
    const quoteFlag = setup({ quoteInteraction: true })
    const viaQuote = await quoteFlag.requestGrant({ access: [quote], client, interact })
    expect(viaQuote.ok && viaQuote.value.kind).toBe('pending')
    const incomingFlag = setup({ incomingPaymentInteraction: true })
    const viaIncoming = await incomingFlag.requestGrant({ access: [incoming], client, interact })
    expect(viaIncoming.ok && viaIncoming.value.kind).toBe('pending')
    const listAll = { ...incoming, actions: ['list-all' as const] }
    const strict = await setup().requestGrant({ access: [listAll], client, interact })
    expect(strict.ok && strict.value.kind).toBe('pending')
    const lax = await setup({ listAllAccessInteraction: false }).requestGrant({
      access: [listAll],
      client,
      interact,
    })
    expect(lax.ok && lax.value.kind).toBe('issued')
  })
})

describe('requestGrant (interactive)', () => {
  it('stores a PENDING grant with its interaction and answers interact and continue', async () => {
    const { requestGrant, grants, clock } = setup({ interactionExpirySeconds: 120 })
    const result = await requestGrant({ access: [outgoing, quote], client, interact })
    if (!result.ok || result.value.kind !== 'pending') throw new Error('not pending')
    const { grant, interaction, response } = result.value
    expect(response).toEqual({
      interact: {
        redirect: `https://auth.example/interact/${interaction.id}/${interaction.nonce}`,
        finish: interaction.nonce,
      },
      continue: {
        access_token: { value: grant.continueToken },
        uri: `https://auth.example/continue/${grant.continueId}`,
        wait: 5,
      },
    })
    expect(interaction).toMatchObject({
      grantId: grant.id,
      state: 'PENDING',
      expiresInSeconds: 120,
      createdAt: new Date(clock.now()),
    })
    expect(interaction.ref).not.toBe(interaction.nonce)
    const stored = await grants.findByContinueId(grant.continueId)
    expect(stored?.grant).toMatchObject({ state: 'PENDING', client, interact })
    expect(stored?.grant.access).toEqual([outgoing, quote])
    expect(stored?.interaction).toEqual(interaction)
    expect(await grants.findInteraction(interaction.id, interaction.nonce)).toBeDefined()
  })

  it('issues no token for a pending grant', async () => {
    const { requestGrant, introspect } = setup()
    const result = await requestGrant({ access: [outgoing], client, interact })
    if (!result.ok || result.value.kind !== 'pending') throw new Error('not pending')
    const { continueToken } = result.value.grant
    expect(await introspect({ accessToken: continueToken })).toEqual({ active: false })
  })

  it("defaults the interaction expiry to Rafiki's 600 seconds", async () => {
    const { requestGrant } = setup()
    const result = await requestGrant({
      access: [outgoing],
      client,
      interact: { start: ['redirect'] },
    })
    if (!result.ok || result.value.kind !== 'pending') throw new Error('not pending')
    expect(result.value.interaction.expiresInSeconds).toBe(600)
  })

  it('refuses a request that needs the user without interact.start redirect; stores nothing', async () => {
    const { requestGrant, grants } = setup()
    expect(await requestGrant({ access: [quote, outgoing], client })).toEqual({
      ok: false,
      error: 'interact_required',
    })
    expect(await requestGrant({ access: [outgoing], client, interact: { start: [] } })).toEqual({
      ok: false,
      error: 'interact_required',
    })
    expect(await storedGrantCount(grants)).toBe(0)
  })

  it('refuses interaction for a directed-identity (bare key) client as invalid_client', async () => {
    const { requestGrant, grants } = setup()
    const jwk = { kid: 'k1', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: 'x'.repeat(43) } as const
    const result = await requestGrant({ access: [outgoing], client: { jwk }, interact })
    expect(result).toEqual({ ok: false, error: 'wallet_address_client_required' })
    expect(requestGrantErrorCode.wallet_address_client_required).toBe('invalid_client')
    expect(await storedGrantCount(grants)).toBe(0)
  })
})
