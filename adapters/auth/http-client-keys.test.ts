import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Cache } from '../../application/ports/cache.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { makeFakeClock } from '../memory/fake-clock.ts'
import { makeMemoryCache } from '../memory/memory-cache.ts'
import { makeHttpClientKeys, parseJwks, type HttpClientKeysOptions } from './http-client-keys.ts'

type Reply = (request: IncomingMessage, response: ServerResponse) => void

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** A wallet address server on 127.0.0.1:0; `paths` lists the path of every request. */
async function walletServer(reply: Reply): Promise<{ origin: string; paths: string[] }> {
  const paths: string[] = []
  server = createServer((request, response) => {
    paths.push(request.url ?? '')
    reply(request, response)
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, paths }
}

const key1: Jwk = {
  kid: 'key-1',
  alg: 'EdDSA',
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
}
const key2: Jwk = {
  ...key1,
  kid: 'key-2',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  use: 'sig',
}

let served: unknown = { keys: [key1] }
const serveJwks: Reply = (_, response) =>
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served))

function setup(overrides: Partial<HttpClientKeysOptions> = {}) {
  const clock = makeFakeClock()
  const cache = makeMemoryCache(clock)
  const keys = makeHttpClientKeys({ cache, clock, timeoutMs: 2000, ttlMs: 30_000, ...overrides })
  return { clock, cache, keys }
}

describe('HTTP client keys', () => {
  afterEach(() => {
    served = { keys: [key1] }
  })

  it('fetches {client}/jwks.json and then answers from the cache until ttlMs', async () => {
    const { origin, paths } = await walletServer(serveJwks)
    const { clock, keys } = setup()
    const client = `${origin}/alice`
    expect(await keys.getKeys(client)).toEqual({ ok: true, value: [key1] })
    served = { keys: [key1, key2] }
    clock.advance(29_999)
    expect(await keys.getKeys(client)).toEqual({ ok: true, value: [key1] })
    expect(paths).toEqual(['/alice/jwks.json'])
    clock.advance(1)
    expect(await keys.getKeys(client)).toEqual({ ok: true, value: [key1, key2] })
    expect(paths).toHaveLength(2)
  })

  it('keeps clients apart', async () => {
    const { origin, paths } = await walletServer(serveJwks)
    const { keys } = setup()
    await keys.getKeys(`${origin}/alice`)
    await keys.getKeys(`${origin}/bob`)
    expect(paths).toEqual(['/alice/jwks.json', '/bob/jwks.json'])
  })

  it('shares one fetch among concurrent requests for one client', async () => {
    const { origin, paths } = await walletServer((request, response) => {
      setTimeout(() => serveJwks(request, response), 50)
    })
    const { keys } = setup()
    const results = await Promise.all(
      Array.from({ length: 5 }, () => keys.getKeys(`${origin}/alice`)),
    )
    expect(results).toEqual(Array(5).fill({ ok: true, value: [key1] }))
    expect(paths).toEqual(['/alice/jwks.json'])
  })

  it('refreshes on request, but not more often than refreshIntervalMs', async () => {
    const { origin, paths } = await walletServer(serveJwks)
    const { clock, keys } = setup({ refreshIntervalMs: 5_000 })
    const client = `${origin}/alice`
    await keys.getKeys(client)
    served = { keys: [key1, key2] }
    clock.advance(4_999)
    expect(await keys.getKeys(client, { refresh: true })).toEqual({ ok: true, value: [key1] })
    clock.advance(1)
    expect(await keys.getKeys(client, { refresh: true })).toEqual({
      ok: true,
      value: [key1, key2],
    })
    expect(await keys.getKeys(client)).toEqual({ ok: true, value: [key1, key2] })
    expect(paths).toHaveLength(2)
  })

  it('refuses an invalid key set and does not cache the failure', async () => {
    const { origin, paths } = await walletServer(serveJwks)
    const { keys } = setup()
    served = { keys: [{ ...key1, crv: 'P-256' }] }
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: false, error: 'invalid_keys' })
    served = { keys: [key1] }
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: true, value: [key1] })
    expect(paths).toHaveLength(2)
  })

  it('refuses a key set longer than replyBytesMax', async () => {
    const { origin } = await walletServer(serveJwks)
    const { keys } = setup({ replyBytesMax: 100 })
    served = { keys: [key1, key2] }
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: false, error: 'invalid_keys' })
  })

  it.each([404, 500])('counts a %i reply as unreachable', async (status) => {
    const { origin } = await walletServer((_, response) => response.writeHead(status).end('{}'))
    const { keys } = setup()
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: false, error: 'unreachable' })
  })

  it('gives up on a slow server after timeoutMs', async () => {
    const timers: NodeJS.Timeout[] = []
    const { origin } = await walletServer((request, response) => {
      timers.push(setTimeout(() => serveJwks(request, response), 2000))
    })
    const { keys } = setup({ timeoutMs: 150 })
    const startedMs = Date.now()
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: false, error: 'unreachable' })
    expect(Date.now() - startedMs).toBeLessThan(1500)
    timers.forEach(clearTimeout)
  })

  it('counts a refused connection as unreachable', async () => {
    const { origin } = await walletServer(serveJwks)
    server?.close()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const { keys } = setup()
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: false, error: 'unreachable' })
  })

  it.each(['alice', 'ftp://wallet.example/alice', 'file:///etc/passwd', ''])(
    'refuses the client URL %j without fetching',
    async (client) => {
      const { keys } = setup()
      expect(await keys.getKeys(client)).toEqual({ ok: false, error: 'invalid_keys' })
    },
  )

  it('fetches again when the cached value is not a key set', async () => {
    const { origin, paths } = await walletServer(serveJwks)
    const { cache, keys } = setup()
    const client = `${origin}/alice`
    await cache.set(`open-payments:client-keys:${client}`, '{"keys":"nope"}', 60_000)
    expect(await keys.getKeys(client)).toEqual({ ok: true, value: [key1] })
    expect(paths).toHaveLength(1)
  })

  it('still answers when the cache is down', async () => {
    const { origin, paths } = await walletServer(serveJwks)
    const down = () => Promise.reject(new Error('cache down'))
    const cache: Cache = {
      get: down,
      set: down,
      setIfAbsent: down,
      delete: down,
      incrementBy: down,
    }
    const clock = makeFakeClock()
    const keys = makeHttpClientKeys({ cache, clock, timeoutMs: 2000, ttlMs: 30_000 })
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: true, value: [key1] })
    expect(await keys.getKeys(`${origin}/alice`)).toEqual({ ok: true, value: [key1] })
    expect(paths).toHaveLength(2)
  })
})

describe('parseJwks', () => {
  const refuse = { ok: false, error: 'invalid_keys' }

  it('reads a JWK set, dropping fields it does not use', () => {
    const text = JSON.stringify({ keys: [{ ...key1, extra: true }, key2], other: 1 })
    expect(parseJwks(text)).toEqual({ ok: true, value: [key1, key2] })
    expect(parseJwks('{"keys":[]}')).toEqual({ ok: true, value: [] })
  })

  it.each([
    ['not JSON', 'nope'],
    ['no keys', '{}'],
    ['keys that are not a list', '{"keys":{}}'],
    ['a key without kid', { keys: [{ ...key1, kid: undefined }] }],
    ['an empty kid', { keys: [{ ...key1, kid: '' }] }],
    ['another alg', { keys: [{ ...key1, alg: 'ES256' }] }],
    ['no alg', { keys: [{ ...key1, alg: undefined }] }],
    ['another kty', { keys: [{ ...key1, kty: 'EC' }] }],
    ['another curve', { keys: [{ ...key1, crv: 'X25519' }] }],
    ['x of the wrong length', { keys: [{ ...key1, x: 'AAAA' }] }],
    ['x in standard base64', { keys: [{ ...key1, x: `${key1.x.slice(0, 42)}+` }] }],
    ['use enc', { keys: [{ ...key1, use: 'enc' }] }],
    ['more than 100 keys', { keys: Array(101).fill(key1) }],
  ])('refuses %s', (_, document) => {
    const text = typeof document === 'string' ? document : JSON.stringify(document)
    expect(parseJwks(text)).toEqual(refuse)
  })
})
