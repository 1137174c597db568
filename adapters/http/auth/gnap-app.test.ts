import { describe, expect, it } from 'vitest'
import {
  clientFinish as finish,
  grantCount,
  incomingAccess as incoming,
  matchesSpec,
  newClientKey,
  outgoingAccess as outgoing,
  setupGnap,
  type Json,
} from './gnap-test-fixtures.ts'

const specValid = async (path: string, method: 'post' | 'delete', response: Response) =>
  expect(await matchesSpec(path, method, response)).toBe(true)

describe('GNAP discovery', () => {
  it("answers Rafiki's discovery document", async () => {
    const { call } = setupGnap()
    const response = await call({ method: 'GET', path: '/discovery' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      grant_request_endpoint: 'https://auth.example/',
      interaction_start_modes_supported: ['redirect'],
      interaction_finish_modes_supported: ['redirect'],
      key_proofs_supported: ['httpsig'],
    })
  })
})

describe('POST / (grant request)', () => {
  it('issues a non-interactive grant to a signed request', async () => {
    const t = setupGnap()
    const client = t.newClient()
    const response = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: client.url },
      key: client.key,
    })
    expect(response.status).toBe(200)
    await specValid('/', 'post', response)
    const body = (await response.json()) as Json
    expect(body['access_token']).toMatchObject({ expires_in: 600, access: [incoming] })
    expect(body['continue']['uri']).toMatch(/^https:\/\/auth\.example\/continue\/.+/)
    const info = await t.introspect({ accessToken: body['access_token']['value'] })
    expect(info).toMatchObject({ active: true, client: { walletAddress: client.url } })
    expect(t.keyFetches).toEqual([client.url])
  })

  it('accepts the {walletAddress} client and a directed-identity {jwk} client', async () => {
    const t = setupGnap()
    const client = t.newClient()
    const byObject = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: { walletAddress: client.url } },
      key: client.key,
    })
    expect(byObject.status).toBe(200)
    const bare = newClientKey()
    const byKey = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: { jwk: bare.jwk } },
      key: bare,
    })
    expect(byKey.status).toBe(200)
    await specValid('/', 'post', byKey)
    // The bare key is trusted as given: no JWKS fetch for it.
    expect(t.keyFetches).toEqual([client.url])
    // Signed by another key than the one it names: refused.
    const other = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: { jwk: bare.jwk } },
      key: { ...newClientKey(bare.jwk.kid) },
    })
    expect(other.status).toBe(401)
    expect(await grantCount(t.grants)).toBe(2)
  })

  it('answers an interactive grant with interact and continue, and stores it PENDING', async () => {
    const t = setupGnap()
    const client = t.newClient()
    const response = await t.call({
      method: 'POST',
      path: '/',
      body: {
        access_token: { access: [outgoing] },
        client: client.url,
        interact: { start: ['redirect'], finish },
      },
      key: client.key,
    })
    expect(response.status).toBe(200)
    await specValid('/', 'post', response)
    const body = (await response.json()) as Json
    expect(Object.keys(body).sort()).toEqual(['continue', 'interact'])
    const { redirect, finish: nonce } = body['interact']
    expect(redirect).toMatch(new RegExp(`^https://auth\\.example/interact/[0-9a-f-]{36}/${nonce}$`))
    expect(body['continue']).toMatchObject({ wait: 5, access_token: { value: expect.any(String) } })
    const continueId = String(body['continue']['uri']).split('/').at(-1) ?? ''
    const stored = await t.grants.findByContinueId(continueId)
    expect(stored?.grant.state).toBe('PENDING')
    expect(stored?.grant.access[0]?.limits?.debitAmount?.value).toBe(500n)
    expect(stored?.interaction?.nonce).toBe(nonce)
  })

  it('refuses bad input with 400 invalid_request and stores nothing', async () => {
    const t = setupGnap()
    const client = t.newClient()
    const bodies: unknown[] = [
      { access_token: { access: [outgoing] }, client: client.url },
      { access_token: { access: [{ type: 'quote', actions: ['list'] }] }, client: client.url },
      { access_token: { access: [] }, client: client.url },
      { access_token: { access: [{ ...incoming, extra: 1 }] }, client: client.url },
      { access_token: { access: [incoming] }, client: 'not a url' },
      { access_token: { access: [incoming, incoming, incoming, incoming] }, client: client.url },
      [],
      'text',
    ]
    for (const body of bodies) {
      const response = await t.call({ method: 'POST', path: '/', body, key: client.key })
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(((await response.json()) as Json)['error']['code']).toBe('invalid_request')
    }
    const notJson = await t.call({
      method: 'POST',
      path: '/',
      body: 'x',
      tamperedBody: '{',
      key: client.key,
    })
    expect(notJson.status).toBe(400)
    expect(await grantCount(t.grants)).toBe(0)
  })

  it('refuses unsigned, wrongly signed, tampered and stale requests; stores nothing', async () => {
    const t = setupGnap()
    const client = t.newClient()
    const body = { access_token: { access: [incoming] }, client: client.url }
    const refused = async (response: Response, description: RegExp) => {
      expect(response.status).toBe(401)
      await specValid('/', 'post', response)
      const error = ((await response.json()) as Json)['error']
      expect(error['code']).toBe('invalid_client')
      expect(error['description']).toMatch(description)
    }
    await refused(await t.call({ method: 'POST', path: '/', body }), /must carry/)
    const stranger = newClientKey(client.key.jwk.kid)
    await refused(await t.call({ method: 'POST', path: '/', body, key: stranger }), /verify/)
    const tampered = JSON.stringify({ ...body, access_token: { access: [outgoing] } })
    await refused(
      await t.call({ method: 'POST', path: '/', body, key: client.key, tamperedBody: tampered }),
      /Content-Digest/,
    )
    const unknownKid = newClientKey()
    await refused(await t.call({ method: 'POST', path: '/', body, key: unknownKid }), /keyid/)
    const unpublished = { ...body, client: 'https://wallet.example/nobody' }
    await refused(
      await t.call({ method: 'POST', path: '/', body: unpublished, key: client.key }),
      /fetched/,
    )
    // Signed now, received 310 s later; and signed 120 s ahead of the server's clock.
    const signedNow = await t.call({ method: 'POST', path: '/', body, key: client.key })
    expect(signedNow.status).toBe(200)
    t.clock.advance(310_000)
    await refused(await t.call({ method: 'POST', path: '/', body, key: client.key }), /too old/)
    t.clock.set(Date.now() - 120_000)
    await refused(await t.call({ method: 'POST', path: '/', body, key: client.key }), /future/)
    expect(await grantCount(t.grants)).toBe(1)
  })

  it('answers an unexpected error with a generic 500 and logs it', async () => {
    const t = setupGnap({
      overrides: {
        requestGrant: async () => {
          throw new Error('database down')
        },
      },
    })
    const client = t.newClient()
    const response = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: client.url },
      key: client.key,
    })
    expect(response.status).toBe(500)
    await specValid('/', 'post', response)
    expect(await response.text()).not.toMatch(/database/)
    expect(t.errors).toHaveLength(1)
    const unknown = await t.call({ method: 'GET', path: '/nowhere' })
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as Json)['error']['code']).toBe('invalid_request')
  })

  it('refuses interaction to a directed-identity client as 400 invalid_client', async () => {
    const t = setupGnap()
    const bare = newClientKey()
    const response = await t.call({
      method: 'POST',
      path: '/',
      body: {
        access_token: { access: [outgoing] },
        client: { jwk: bare.jwk },
        interact: { start: ['redirect'], finish },
      },
      key: bare,
    })
    expect(response.status).toBe(400)
    await specValid('/', 'post', response)
    expect(((await response.json()) as Json)['error']['code']).toBe('invalid_client')
    expect(await grantCount(t.grants)).toBe(0)
  })
})
