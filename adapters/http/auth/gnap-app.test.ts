import { getAuthServerOpenAPI } from '@interledger/open-payments'
import type { OpenAPI } from '@interledger/openapi'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PageRequest } from '../../../domain/pagination/page.ts'
import type { AuthGrantRepository } from '../../../application/ports/auth-grant-repository.ts'
import { newClientKey, setupGnap } from './gnap-test-fixtures.ts'

let spec: OpenAPI
beforeAll(async () => {
  spec = await getAuthServerOpenAPI()
})

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The response is one the auth-server spec documents for this path and method. */
async function specValid(path: string, method: 'post' | 'delete', response: Response) {
  const text = await response.clone().text()
  const body: unknown = text === '' ? undefined : JSON.parse(text)
  const validate = spec.createResponseValidator({ path, method: method as never })
  expect(validate({ status: response.status, body })).toBe(true)
}

const all = { limit: 100, cursor: undefined, direction: 'forward', sortOrder: 'ASC' } as const
async function grantCount(grants: AuthGrantRepository) {
  const page = await grants.list({}, all satisfies PageRequest)
  if (!page.ok) throw new Error(page.error)
  return page.value.items.length
}

const alice = 'https://wallet.example/alice'
const incoming = { type: 'incoming-payment', actions: ['create', 'read'], identifier: alice }
const outgoing = {
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  limits: { debitAmount: { value: '500', assetCode: 'USD', assetScale: 2 } },
}
const finish = { method: 'redirect', uri: 'https://client.example/return', nonce: 'CLIENT-NONCE' }

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

/** An interactive grant requested through HTTP; returns what the client got. */
async function pendingGrant(t: ReturnType<typeof setupGnap>, withFinish: boolean) {
  const client = t.newClient()
  const response = await t.call({
    method: 'POST',
    path: '/',
    body: {
      access_token: { access: [outgoing] },
      client: client.url,
      interact: { start: ['redirect'], ...(withFinish && { finish }) },
    },
    key: client.key,
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as Json
  const continueToken: string = body['continue']['access_token']['value']
  const path = new URL(body['continue']['uri']).pathname
  const stored = await t.grants.findByContinueId(path.split('/').at(-1) ?? '')
  const interaction = stored?.interaction
  if (!interaction) throw new Error('no interaction')
  const approve = async () => {
    const decided = await t.grants.decideInteraction(interaction.id, 'APPROVED', new Date())
    expect(decided.ok).toBe(true)
  }
  return { client, continueToken, path, interaction, approve }
}

describe('POST /continue/{id}', () => {
  it('is too_fast, then pending with wait, then issues after approval', async () => {
    const t = setupGnap()
    const { client, continueToken, path, approve } = await pendingGrant(t, false)
    const poll = () => t.call({ method: 'POST', path, token: continueToken, key: client.key })
    const tooFast = await poll()
    expect(tooFast.status).toBe(400)
    await specValid('/continue/{id}', 'post', tooFast)
    expect(((await tooFast.json()) as Json)['error']['code']).toBe('too_fast')
    t.clock.advance(5_000)
    const pending = await poll()
    expect(pending.status).toBe(200)
    await specValid('/continue/{id}', 'post', pending)
    expect(await pending.json()).toEqual({
      continue: {
        access_token: { value: continueToken },
        uri: `https://auth.example${path}`,
        wait: 5,
      },
    })
    await approve()
    t.clock.advance(5_000)
    const issued = await poll()
    expect(issued.status).toBe(200)
    await specValid('/continue/{id}', 'post', issued)
    const body = (await issued.json()) as Json
    expect(body['access_token']['access']).toEqual([outgoing])
    expect(body['continue']).toEqual({
      access_token: { value: continueToken },
      uri: `https://auth.example${path}`,
    })
    const info = await t.introspect({ accessToken: body['access_token']['value'] })
    expect(info).toMatchObject({ active: true, client: { walletAddress: client.url } })
  })

  it('issues with the interact_ref at once, and not twice', async () => {
    const t = setupGnap()
    const { client, continueToken, path, interaction, approve } = await pendingGrant(t, true)
    await approve()
    const send = (interact_ref: string) =>
      t.call({
        method: 'POST',
        path,
        token: continueToken,
        key: client.key,
        body: { interact_ref },
      })
    const wrong = await send('not-the-ref')
    expect(wrong.status).toBe(404)
    await specValid('/continue/{id}', 'post', wrong)
    const issued = await send(interaction.ref)
    expect(issued.status).toBe(200)
    await specValid('/continue/{id}', 'post', issued)
    expect(((await issued.json()) as Json)['access_token']['access']).toEqual([outgoing])
    expect((await send(interaction.ref)).status).toBe(404)
  })

  it('refuses unsigned, foreign-signed and wrong-token continuations; issues nothing', async () => {
    const t = setupGnap()
    const { client, continueToken, path, interaction, approve } = await pendingGrant(t, true)
    await approve()
    const body = { interact_ref: interaction.ref }
    const expectRefused = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status)
      await specValid('/continue/{id}', 'post', response)
      expect(((await response.json()) as Json)['error']['code']).toBe(code)
    }
    await expectRefused(
      await t.call({ method: 'POST', path, token: continueToken, body }),
      401,
      'invalid_client',
    )
    const other = t.newClient()
    await expectRefused(
      await t.call({ method: 'POST', path, token: continueToken, body, key: other.key }),
      401,
      'invalid_client',
    )
    await expectRefused(
      await t.call({ method: 'POST', path, token: `${continueToken}x`, body, key: client.key }),
      401,
      'invalid_continuation',
    )
    await expectRefused(
      await t.call({
        method: 'POST',
        path: '/continue/nope',
        token: continueToken,
        body,
        key: client.key,
      }),
      401,
      'invalid_continuation',
    )
    const grant = await t.grants.findByContinueId(path.split('/').at(-1) ?? '')
    expect(grant?.grant.state).toBe('APPROVED')
  })
})

describe('DELETE /continue/{id}', () => {
  it('revokes the grant and its token for the signed client only', async () => {
    const t = setupGnap()
    const client = t.newClient()
    const created = await t.call({
      method: 'POST',
      path: '/',
      body: { access_token: { access: [incoming] }, client: client.url },
      key: client.key,
    })
    const body = (await created.json()) as Json
    const path = new URL(body['continue']['uri']).pathname
    const continueToken = body['continue']['access_token']['value']
    const accessToken = body['access_token']['value']
    const unsigned = await t.call({ method: 'DELETE', path, token: continueToken })
    expect(unsigned.status).toBe(401)
    await specValid('/continue/{id}', 'delete', unsigned)
    expect(await t.introspect({ accessToken })).toMatchObject({ active: true })
    const deleted = await t.call({ method: 'DELETE', path, token: continueToken, key: client.key })
    expect(deleted.status).toBe(204)
    await specValid('/continue/{id}', 'delete', deleted)
    expect(await t.introspect({ accessToken })).toEqual({ active: false })
    const again = await t.call({ method: 'DELETE', path, token: continueToken, key: client.key })
    expect(again.status).toBe(404)
    await specValid('/continue/{id}', 'delete', again)
  })
})

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
