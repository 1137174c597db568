import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import {
  createAuthenticatedClient,
  isFinalizedGrantWithAccessToken,
  isPendingGrant,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupGnap } from './gnap-test-fixtures.ts'

// The GNAP app over a real socket, driven by @interledger/open-payments: it signs every call
// and validates every response against the auth-server spec.
describe('GNAP back channel with the Open Payments client', () => {
  let server: ServerType
  let authUrl: string
  let t: ReturnType<typeof setupGnap>
  let client: AuthenticatedClient
  let clientUrl: string

  beforeAll(async () => {
    // The URL is known only once the port is: route through a holder.
    const holder: { app?: ReturnType<typeof setupGnap>['app'] } = {}
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (r) => holder.app!.fetch(r), port: 0, hostname: '127.0.0.1' }, () =>
        resolve(s),
      )
    })
    authUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    t = setupGnap({ authServerUrl: authUrl, allowHttp: true })
    holder.app = t.app
    const registered = t.newClient('http://wallet.example/app')
    clientUrl = registered.url
    client = await createAuthenticatedClient({
      walletAddressUrl: clientUrl,
      privateKey: registered.key.privateKey,
      keyId: registered.key.jwk.kid,
      useHttp: true,
      validateResponses: true,
      logLevel: 'silent',
    })
  })

  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()))
  })

  const incoming = {
    type: 'incoming-payment' as const,
    actions: ['create' as const, 'read' as const],
    identifier: 'http://wallet.example/alice',
  }

  it('gets a non-interactive grant, rotates its token, revokes it and cancels the grant', async () => {
    const grant = await client.grant.request(
      { url: `${authUrl}/` },
      {
        access_token: { access: [incoming] },
      },
    )
    if (!isFinalizedGrantWithAccessToken(grant)) throw new Error('not issued')
    expect(await t.introspect({ accessToken: grant.access_token.value })).toMatchObject({
      active: true,
      client: { walletAddress: clientUrl },
    })
    const rotated = await client.token.rotate({
      url: grant.access_token.manage,
      accessToken: grant.access_token.value,
    })
    expect(rotated.access_token.access).toEqual([incoming])
    expect(await t.introspect({ accessToken: grant.access_token.value })).toEqual({
      active: false,
    })
    await client.token.revoke({
      url: rotated.access_token.manage,
      accessToken: rotated.access_token.value,
    })
    expect(await t.introspect({ accessToken: rotated.access_token.value })).toEqual({
      active: false,
    })
    await client.grant.cancel({
      url: grant.continue.uri,
      accessToken: grant.continue.access_token.value,
    })
    const continueId = grant.continue.uri.split('/').at(-1) ?? ''
    const stored = await t.grants.findByContinueId(continueId)
    expect(stored?.grant).toMatchObject({ state: 'FINALIZED', finalizationReason: 'REVOKED' })
  })

  it('gets an interactive grant and continues it after the user approved', async () => {
    const pending = await client.grant.request(
      { url: `${authUrl}/` },
      {
        access_token: {
          access: [
            {
              type: 'outgoing-payment',
              actions: ['create', 'read'],
              identifier: 'http://wallet.example/alice',
              limits: { debitAmount: { value: '500', assetCode: 'USD', assetScale: 2 } },
            },
          ],
        },
        interact: { start: ['redirect'] },
      },
    )
    if (!isPendingGrant(pending)) throw new Error('not pending')
    expect(pending.interact.redirect.startsWith(`${authUrl}/interact/`)).toBe(true)
    const continueArgs = {
      url: pending.continue.uri,
      accessToken: pending.continue.access_token.value,
    }
    await expect(client.grant.continue(continueArgs)).rejects.toMatchObject({ status: 400 })
    const [interactionId] = pending.interact.redirect
      .slice(`${authUrl}/interact/`.length)
      .split('/')
    const decided = await t.grants.decideInteraction(interactionId ?? '', 'APPROVED', new Date())
    expect(decided.ok).toBe(true)
    t.clock.advance(5_000)
    const issued = await client.grant.continue(continueArgs)
    if (!isFinalizedGrantWithAccessToken(issued)) throw new Error('not issued')
    expect(issued.access_token.access[0]).toMatchObject({ type: 'outgoing-payment' })
    expect(await t.introspect({ accessToken: issued.access_token.value })).toMatchObject({
      active: true,
    })
  })
})
