import { describe, expect, it } from 'vitest'
import {
  incomingAccess as incoming,
  matchesSpec,
  newClientKey,
  setupGnap,
  type Json,
} from './gnap-test-fixtures.ts'

const specValid = async (path: string, method: 'post' | 'delete', response: Response) =>
  expect(await matchesSpec(path, method, response)).toBe(true)

describe('POST and DELETE /token/{id}', () => {
  async function issued(t: ReturnType<typeof setupGnap>) {
    const client = t.newClient()
    const response = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: client.url },
      key: client.key,
    })
    const token = ((await response.json()) as Json)['access_token']
    return { client, value: token['value'] as string, path: new URL(token['manage']).pathname }
  }

  it('rotates a token: the new one is active, the old one not', async () => {
    const t = setupGnap()
    const { client, value, path } = await issued(t)
    const rotated = await t.call({ method: 'POST', path, token: value, key: client.key })
    expect(rotated.status).toBe(200)
    await specValid('/token/{id}', 'post', rotated)
    const token = ((await rotated.json()) as Json)['access_token']
    expect(token).toMatchObject({ expires_in: 600, access: [incoming] })
    expect(await t.introspect({ accessToken: token['value'] })).toMatchObject({ active: true })
    expect(await t.introspect({ accessToken: value })).toEqual({ active: false })
    const twice = await t.call({ method: 'POST', path, token: value, key: client.key })
    expect(twice.status).toBe(400)
    await specValid('/token/{id}', 'post', twice)
    expect(((await twice.json()) as Json)['error']['code']).toBe('invalid_rotation')
  })

  it("checks a directed-identity client's token calls against its own key", async () => {
    const t = setupGnap()
    const bare = newClientKey()
    const response = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: { jwk: bare.jwk } },
      key: bare,
    })
    const token = ((await response.json()) as Json)['access_token']
    const path = new URL(token['manage']).pathname
    const impostor = newClientKey(bare.jwk.kid)
    const refused = await t.call({ method: 'POST', path, token: token['value'], key: impostor })
    expect(refused.status).toBe(401)
    const rotated = await t.call({ method: 'POST', path, token: token['value'], key: bare })
    expect(rotated.status).toBe(200)
    expect(t.keyFetches).toEqual([])
  })

  it('revokes a token with 204', async () => {
    const t = setupGnap()
    const { client, value, path } = await issued(t)
    const revoked = await t.call({ method: 'DELETE', path, token: value, key: client.key })
    expect(revoked.status).toBe(204)
    await specValid('/token/{id}', 'delete', revoked)
    expect(await t.introspect({ accessToken: value })).toEqual({ active: false })
  })

  it('refuses unsigned, foreign-signed or stale rotation and revocation; changes nothing', async () => {
    const t = setupGnap()
    const { client, value, path } = await issued(t)
    const other = t.newClient()
    const attempts = [
      () => t.call({ method: 'POST', path, token: value }),
      () => t.call({ method: 'DELETE', path, token: value }),
      () => t.call({ method: 'POST', path, token: value, key: other.key }),
      () => t.call({ method: 'DELETE', path, token: value, key: other.key }),
      () => t.call({ method: 'POST', path: '/token/unknown', token: value, key: client.key }),
    ]
    for (const attempt of attempts) {
      const response = await attempt()
      expect(response.status).toBe(401)
      expect(((await response.json()) as Json)['error']['code']).toBe('invalid_client')
    }
    t.clock.advance(310_000)
    const stale = await t.call({ method: 'DELETE', path, token: value, key: client.key })
    expect(stale.status).toBe(401)
    t.clock.set(Date.now())
    expect(await t.introspect({ accessToken: value })).toMatchObject({ active: true })
  })
})
