import { describe, expect, it } from 'vitest'
import { storeIssuedGrant } from '../../../application/auth/auth-test-fixtures.ts'
import { makeIntrospectToken } from '../../../application/auth/introspect-token.ts'
import type { Logger } from '../../../application/ports/logger.ts'
import type { AccessItem } from '../../../domain/open-payments/access.ts'
import { parseTokenInfo } from '../../auth/http-token-introspection.ts'
import { jwkThumbprintUrn } from '../../auth/in-process-token-introspection.ts'
import { makeFakeClock } from '../../memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../memory/memory-auth-grant-repository.ts'
import { newClientKey } from './gnap-test-fixtures.ts'
import { makeIntrospectionApp } from './introspection-app.ts'

const alice = 'https://wallet.example/alice'
const outgoing: AccessItem = {
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  limits: {
    receiver: 'https://wallet.example/bob/incoming-payments/1',
    debitAmount: { value: 18_446_744_073_709_551_615n, assetCode: 'USD', assetScale: 2 },
    interval: 'R/2025-01-01T00:00:00Z/P1M',
  },
}
const quote: AccessItem = { type: 'quote', actions: ['create', 'read'] }

function setup() {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const errors: unknown[] = []
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (f) => errors.push(f) }
  const app = makeIntrospectionApp({
    logger,
    introspectToken: makeIntrospectToken({ grants, clock }),
  })
  const post = (body: unknown) =>
    app.request('http://introspection.internal/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  return { clock, grants, app, post, errors }
}

describe('introspection app', () => {
  it('answers an active token with grant, client URL and access, amounts as strings', async () => {
    const { grants, clock, post } = setup()
    const { grant, token } = await storeIssuedGrant(grants, new Date(clock.now()), [
      outgoing,
      quote,
    ])
    const response = await post({ access_token: token.value })
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({
      active: true,
      grant: grant.id,
      client: 'https://wallet.example/alice',
      access: [
        {
          ...outgoing,
          limits: {
            ...outgoing.limits,
            debitAmount: { value: '18446744073709551615', assetCode: 'USD', assetScale: 2 },
          },
        },
        quote,
      ],
    })
    // Our resource server's client reads it back to the same items.
    expect(parseTokenInfo(text)).toEqual({
      ok: true,
      value: { active: true, grant: grant.id, client: alice, access: [outgoing, quote] },
    })
  })

  it('checks the requested access and answers inactive when not covered', async () => {
    const { grants, clock, post } = setup()
    const { token } = await storeIssuedGrant(grants, new Date(clock.now()), [quote])
    const ask = (access: unknown) => post({ access_token: token.value, access })
    expect(await (await ask([{ type: 'quote', actions: ['read'] }])).json()).toMatchObject({
      active: true,
    })
    expect(await (await ask([{ type: 'quote', actions: ['read-all'] }])).json()).toEqual({
      active: false,
    })
    const bound = [{ type: 'outgoing-payment', actions: ['create'], identifier: alice }]
    expect(await (await ask(bound)).json()).toEqual({ active: false })
  })

  it('answers inactive for unknown, expired and revoked tokens', async () => {
    const { grants, clock, post } = setup()
    const { token } = await storeIssuedGrant(grants, new Date(clock.now()), [quote])
    expect(await (await post({ access_token: 'unknown' })).json()).toEqual({ active: false })
    expect(await grants.revokeToken(token.managementId, new Date(clock.now()))).toBe(true)
    expect(await (await post({ access_token: token.value })).json()).toEqual({ active: false })
    const other = await storeIssuedGrant(grants, new Date(clock.now()), [quote])
    clock.advance(600_000)
    expect(await (await post({ access_token: other.token.value })).json()).toEqual({
      active: false,
    })
  })

  it('names a directed-identity client by its key thumbprint and sends the key', async () => {
    const { grants, clock, post } = setup()
    const { jwk } = newClientKey()
    const { token } = await storeIssuedGrant(grants, new Date(clock.now()), [quote], {
      client: { jwk },
    })
    const body = await (await post({ access_token: token.value })).json()
    expect(body).toMatchObject({ active: true, client: jwkThumbprintUrn(jwk), jwk })
  })

  it('refuses malformed bodies with 400 invalid_request, never 500', async () => {
    const { post, errors } = setup()
    for (const body of [
      '{',
      '[]',
      {},
      { access_token: '' },
      { access_token: 1 },
      {
        access_token: 'x',
        access: [{ type: 'nope', actions: [] }],
      },
    ]) {
      const response = await post(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_request',
      )
    }
    expect(errors).toEqual([])
  })
})
