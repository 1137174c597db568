import { describe, expect, it } from 'vitest'
import {
  incomingAccess as incoming,
  matchesSpec,
  outgoingAccess as outgoing,
  pendingGrant,
  setupGnap,
  type Json,
} from './gnap-test-fixtures.ts'

const specValid = async (path: string, method: 'post' | 'delete', response: Response) =>
  expect(await matchesSpec(path, method, response)).toBe(true)

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
