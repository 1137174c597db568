import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterEach, describe, expect, it } from 'vitest'
import { storeIssuedGrant } from '../../application/auth/auth-test-fixtures.ts'
import { makeIntrospectToken } from '../../application/auth/introspect-token.ts'
import type { Logger } from '../../application/ports/logger.ts'
import type { IntrospectionRequest } from '../../application/ports/token-introspection.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { makeIntrospectionApp } from '../http/auth/introspection-app.ts'
import { makeMemoryAuthGrantRepository } from '../memory/memory-auth-grant-repository.ts'
import { makeHttpTokenIntrospection, parseTokenInfo } from './http-token-introspection.ts'
import { jwkThumbprintUrn } from './in-process-token-introspection.ts'

type Received = { readonly method: string; readonly contentType: string; readonly body: string }
type Reply = (response: ServerResponse) => void

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** An auth server on 127.0.0.1:0 that records each request and answers with `reply`. */
async function authServer(reply: Reply): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        contentType: request.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      })
      reply(response)
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, received }
}

const json =
  (body: unknown, status = 200): Reply =>
  (response) =>
    response
      .writeHead(status, { 'content-type': 'application/json' })
      .end(typeof body === 'string' ? body : JSON.stringify(body))

const alice = 'https://wallet.example/alice'
const request: IntrospectionRequest = {
  accessToken: 'OS9M2PMHKUR64TB8N6BW7OZB8CDFONP219RP1LT0',
  access: [{ type: 'outgoing-payment', actions: ['create'], identifier: alice }],
}

const activeReply = {
  active: true,
  grant: '1ee48d97-8fa1-4ab4-b89d-95284b665517',
  client: 'https://webmonize.example/.well-known/pay',
  access: [
    {
      type: 'outgoing-payment',
      actions: ['create', 'read'],
      identifier: alice,
      limits: {
        interval: 'R12/2019-08-24T14:15:22Z/P1M',
        receiver: 'https://wallet.example/bob/incoming-payments/48884225',
        debitAmount: { value: '18446744073709551615', assetCode: 'USD', assetScale: 2 },
      },
    },
    { type: 'incoming-payment', actions: ['read-all'], identifier: null },
    { type: 'quote', actions: ['create'], limits: null },
  ],
}

describe('HTTP token introspection', () => {
  it('POSTs {access_token, access} as JSON and reads an active token', async () => {
    const { url, received } = await authServer(json(activeReply))
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000 })
    expect(await introspection.introspect(request)).toEqual({
      ok: true,
      value: {
        active: true,
        grant: '1ee48d97-8fa1-4ab4-b89d-95284b665517',
        client: 'https://webmonize.example/.well-known/pay',
        access: [
          {
            type: 'outgoing-payment',
            actions: ['create', 'read'],
            identifier: alice,
            limits: {
              interval: 'R12/2019-08-24T14:15:22Z/P1M',
              receiver: 'https://wallet.example/bob/incoming-payments/48884225',
              debitAmount: { value: 2n ** 64n - 1n, assetCode: 'USD', assetScale: 2 },
            },
          },
          // null identifiers and limits are absent, not present as null.
          { type: 'incoming-payment', actions: ['read-all'] },
          { type: 'quote', actions: ['create'] },
        ],
      },
    })
    expect(received).toEqual([
      {
        method: 'POST',
        contentType: 'application/json',
        body: JSON.stringify({
          access_token: request.accessToken,
          access: [{ type: 'outgoing-payment', actions: ['create'], identifier: alice }],
        }),
      },
    ])
  })

  it('reads an inactive token', async () => {
    const { url } = await authServer(json({ active: false }))
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000 })
    expect(await introspection.introspect(request)).toEqual({ ok: true, value: { active: false } })
  })

  it('refuses a malformed reply as invalid_response', async () => {
    const { url } = await authServer(json('{"active": tru'))
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000 })
    expect(await introspection.introspect(request)).toEqual({
      ok: false,
      error: 'invalid_response',
    })
  })

  it('refuses a reply longer than replyBytesMax as invalid_response', async () => {
    const long = { ...activeReply, padding: 'x'.repeat(10_000) }
    const { url } = await authServer(json(long))
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000, replyBytesMax: 4096 })
    expect(await introspection.introspect(request)).toEqual({
      ok: false,
      error: 'invalid_response',
    })
  })

  it('gives up on a slow auth server after timeoutMs: unreachable', async () => {
    const timers: NodeJS.Timeout[] = []
    const { url } = await authServer((response) => {
      timers.push(setTimeout(() => json({ active: false })(response), 2000))
    })
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 150 })
    const startedMs = Date.now()
    expect(await introspection.introspect(request)).toEqual({ ok: false, error: 'unreachable' })
    expect(Date.now() - startedMs).toBeLessThan(1500)
    timers.forEach(clearTimeout)
  })

  it('counts a stalled reply body against the same timeout', async () => {
    const { url } = await authServer((response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"active":')
    })
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 150 })
    expect(await introspection.introspect(request)).toEqual({ ok: false, error: 'unreachable' })
  })

  it.each([500, 502, 503])('counts a %i as unreachable', async (status) => {
    const { url } = await authServer(json({ error: 'down' }, status))
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000 })
    expect(await introspection.introspect(request)).toEqual({ ok: false, error: 'unreachable' })
  })

  it.each([400, 401, 404, 201])('counts a %i as invalid_response', async (status) => {
    const { url } = await authServer(json({ active: false }, status))
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000 })
    expect(await introspection.introspect(request)).toEqual({
      ok: false,
      error: 'invalid_response',
    })
  })

  it('does not follow a redirect with the token', async () => {
    const { url, received } = await authServer((response) =>
      response.writeHead(307, { location: '/elsewhere' }).end(),
    )
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000 })
    expect(await introspection.introspect(request)).toEqual({
      ok: false,
      error: 'invalid_response',
    })
    expect(received).toHaveLength(1)
  })

  it('counts a refused connection as unreachable', async () => {
    const { url } = await authServer(json({ active: false }))
    server?.close()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const introspection = makeHttpTokenIntrospection({ url, timeoutMs: 2000 })
    expect(await introspection.introspect(request)).toEqual({ ok: false, error: 'unreachable' })
  })
})

// RFC 8037 appendix A.3's Ed25519 public key.
const directedKey: Jwk = {
  kid: 'k1',
  alg: 'EdDSA',
  kty: 'OKP',
  crv: 'Ed25519',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
}
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

describe('HTTP token introspection of a directed-identity client', () => {
  it('reads the key our introspection server sends as `jwk` into clientKey', async () => {
    const grants = makeMemoryAuthGrantRepository()
    const at = new Date('2026-12-03T08:00:00Z')
    const clock = { now: () => at.getTime() + 1000 }
    const access = [{ type: 'incoming-payment' as const, actions: ['create' as const] }]
    const issued = await storeIssuedGrant(grants, at, access, { client: { jwk: directedKey } })
    const app = makeIntrospectionApp({
      logger: silent,
      introspectToken: makeIntrospectToken({ grants, clock }),
    })
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve(info.port),
      ) as Server
    })
    const introspection = makeHttpTokenIntrospection({
      url: `http://127.0.0.1:${port}/`,
      timeoutMs: 2000,
    })
    expect(await introspection.introspect({ accessToken: issued.token.value, access })).toEqual({
      ok: true,
      value: {
        active: true,
        grant: issued.grant.id,
        client: jwkThumbprintUrn(directedKey),
        clientKey: directedKey,
        access,
      },
    })
  })
})

describe('parseTokenInfo', () => {
  const refuse = { ok: false, error: 'invalid_response' }
  const active = (change: Record<string, unknown>) => JSON.stringify({ ...activeReply, ...change })
  const item = (change: Record<string, unknown>) =>
    active({ access: [{ type: 'incoming-payment', actions: ['read'], ...change }] })
  const outgoing = (change: Record<string, unknown>) =>
    active({ access: [{ ...activeReply.access[0], ...change }] })
  const amount = (value: unknown) => ({ value, assetCode: 'USD', assetScale: 2 })

  it.each([
    ['not JSON', 'nope'],
    ['no active field', '{}'],
    ['a string active', '{"active":"true"}'],
    ['an array', '[]'],
    ['an active token without grant', active({ grant: undefined })],
    ['an empty grant', active({ grant: '' })],
    ['an active token without client', active({ client: undefined })],
    ['a client that is not a URL', active({ client: 'alice' })],
    ['an active token without access', active({ access: undefined })],
    ['an unknown access type', item({ type: 'payment' })],
    ['an unknown action', item({ actions: ['read', 'delete'] })],
    ['no actions', item({ actions: [] })],
    ['complete on a quote', item({ type: 'quote', actions: ['complete'] })],
    ['list on a quote', item({ type: 'quote', actions: ['list'] })],
    ['complete on an outgoing payment', outgoing({ actions: ['complete'] })],
    ['an outgoing payment without identifier', outgoing({ identifier: undefined })],
    ['a number identifier', item({ identifier: 7 })],
    [
      'an amount over 64 bits',
      outgoing({ limits: { debitAmount: amount('18446744073709551616') } }),
    ],
    ['a negative amount', outgoing({ limits: { debitAmount: amount('-1') } })],
    ['a number amount', outgoing({ limits: { receiveAmount: amount(5) } })],
    ['a decimal amount', outgoing({ limits: { receiveAmount: amount('1.5') } })],
    [
      'a scale over 255',
      outgoing({ limits: { debitAmount: { ...amount('1'), assetScale: 256 } } }),
    ],
    ['too many access items', active({ access: Array(101).fill(activeReply.access[1]) })],
    ['a jwk that is not an object', active({ jwk: 'key' })],
    ['a jwk of another key type', active({ jwk: { ...directedKey, kty: 'EC', crv: 'P-256' } })],
    ['a jwk of another algorithm', active({ jwk: { ...directedKey, alg: 'ES256' } })],
    ['a jwk whose x is not 32 bytes', active({ jwk: { ...directedKey, x: 'AAAA' } })],
    ['a jwk without kid', active({ jwk: { ...directedKey, kid: undefined } })],
  ])('refuses %s', (_, text) => {
    expect(parseTokenInfo(text)).toEqual(refuse)
  })

  it('reads a jwk into clientKey, and a null one as absent', () => {
    const withKey = parseTokenInfo(active({ jwk: { ...directedKey, use: 'sig' } }))
    expect(withKey.ok && withKey.value.active && withKey.value.clientKey).toEqual({
      ...directedKey,
      use: 'sig',
    })
    const without = parseTokenInfo(active({ jwk: null }))
    expect(without.ok && without.value.active && 'clientKey' in without.value).toBe(false)
  })

  it('ignores fields it does not know', () => {
    const text = JSON.stringify({ active: false, extra: 1 })
    expect(parseTokenInfo(text)).toEqual({ ok: true, value: { active: false } })
  })
})
