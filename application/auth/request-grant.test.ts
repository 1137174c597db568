import { describe, expect, it } from 'vitest'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import type { PageRequest } from '../../domain/pagination/page.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { alice, authServerUrl, fakeIds, fakeSecrets } from './auth-test-fixtures.ts'
import { makeIntrospectToken } from './introspect-token.ts'
import { makeRequestGrant, type RequestGrantConfig } from './request-grant.ts'

const incoming: AccessItem = {
  type: 'incoming-payment',
  actions: ['create', 'read', 'list'],
  identifier: alice,
}
const quote: AccessItem = { type: 'quote', actions: ['create', 'read'], identifier: alice }
const outgoing: AccessItem = { type: 'outgoing-payment', actions: ['create'], identifier: alice }
const client = { walletAddress: alice }

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

  it('hands outgoing-payment access to the interactive path without storing a grant', async () => {
    const { requestGrant, grants } = setup()
    const request = { access: [quote, outgoing], client }
    expect(await requestGrant(request)).toEqual({
      ok: true,
      value: { kind: 'interaction_required', request },
    })
    expect(await storedGrantCount(grants)).toBe(0)
  })

  it('follows the *_INTERACTION flags', async () => {
    const quoteFlag = setup({ quoteInteraction: true })
    const viaQuote = await quoteFlag.requestGrant({ access: [quote], client })
    expect(viaQuote.ok && viaQuote.value.kind).toBe('interaction_required')
    const incomingFlag = setup({ incomingPaymentInteraction: true })
    const viaIncoming = await incomingFlag.requestGrant({ access: [incoming], client })
    expect(viaIncoming.ok && viaIncoming.value.kind).toBe('interaction_required')
    const listAll = { ...incoming, actions: ['list-all' as const] }
    const strict = await setup().requestGrant({ access: [listAll], client })
    expect(strict.ok && strict.value.kind).toBe('interaction_required')
    const lax = await setup({ listAllAccessInteraction: false }).requestGrant({
      access: [listAll],
      client,
    })
    expect(lax.ok && lax.value.kind).toBe('issued')
  })
})
