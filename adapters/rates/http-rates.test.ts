import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { AssertionError } from '../../domain/shared/assert.ts'
import { makeFakeClock } from '../memory/fake-clock.ts'
import { makeHttpRates, parseRatesReply, type HttpRatesOptions } from './http-rates.ts'

type Reply = (request: IncomingMessage, response: ServerResponse) => void

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** A rates service on 127.0.0.1:0 that records each request URL and answers with `reply`. */
async function ratesServer(reply: Reply): Promise<{ url: string; requested: string[] }> {
  const requested: string[] = []
  server = createServer((request, response) => {
    requested.push(`${request.method} ${request.url} ${request.headers.accept}`)
    reply(request, response)
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/rates`, requested }
}

const send = (response: ServerResponse, body: unknown, status = 200): void => {
  response
    .writeHead(status, { 'content-type': 'application/json' })
    .end(typeof body === 'string' ? body : JSON.stringify(body))
}

const json =
  (body: unknown, status = 200): Reply =>
  (_request, response) =>
    send(response, body, status)

/** Answers each request with the rates of the base it asks for. */
const ratesFor =
  (rates: Record<string, Record<string, number>>): Reply =>
  (request, response) => {
    const base = new URL(request.url ?? '/', 'http://x').searchParams.get('base') ?? ''
    json({ base, rates: rates[base] ?? {} })(request, response)
  }

const usd = { code: 'USD', scale: 2 }
const eur = { code: 'EUR', scale: 2 }
const clock = () => makeFakeClock()
const options = (url: string | undefined, more: Partial<HttpRatesOptions> = {}) => ({
  url,
  lifetimeMs: 15_000,
  timeoutMs: 2_000,
  clock: clock(),
  ...more,
})

describe('HTTP rates', () => {
  it('GETs ?base=CODE and converts with the reply', async () => {
    const { url, requested } = await ratesServer(ratesFor({ USD: { EUR: 0.91, XBT: 1e-7 } }))
    const rates = makeHttpRates(options(url))
    const request = { sourceAsset: usd, destinationAsset: eur }
    expect(await rates.convertSource({ ...request, sourceAmount: 150n })).toEqual({
      ok: true,
      value: 136n,
    })
    expect(await rates.convertDestination({ ...request, destinationAmount: 136n })).toEqual({
      ok: true,
      value: 150n,
    })
    const table = await rates.getRates('USD')
    expect(table.ok && table.value.base).toBe('USD')
    expect(table.ok && [...table.value.rates.keys()]).toEqual(['EUR', 'XBT'])
    expect(requested).toEqual(['GET /rates?base=USD application/json'])
  })

  it('answers missing_rate for a code the reply lacks or rates at 0', async () => {
    const { url } = await ratesServer(ratesFor({ USD: { JPY: 0 } }))
    const rates = makeHttpRates(options(url))
    for (const code of ['EUR', 'JPY']) {
      const destinationAsset = { code, scale: 0 }
      expect(
        await rates.convertSource({ sourceAmount: 1n, sourceAsset: usd, destinationAsset }),
      ).toEqual({ ok: false, error: 'missing_rate' })
    }
  })

  it('reports a converted amount above 2^64 - 1', async () => {
    const { url } = await ratesServer(ratesFor({ USD: { EUR: 1.5 } }))
    const rates = makeHttpRates(options(url))
    const request = { sourceAmount: 2n ** 64n - 1n, sourceAsset: usd, destinationAsset: eur }
    expect(await rates.convertSource(request)).toEqual({ ok: false, error: 'amount_overflow' })
  })

  it('keeps rates per base for the lifetime, then fetches again', async () => {
    const { url, requested } = await ratesServer(ratesFor({ USD: { EUR: 0.91 }, EUR: {} }))
    const fakeClock = clock()
    const rates = makeHttpRates(options(url, { clock: fakeClock }))
    await rates.getRates('USD')
    fakeClock.advance(14_999)
    await rates.getRates('USD')
    expect(requested).toHaveLength(1)
    await rates.getRates('EUR')
    expect(requested).toHaveLength(2)
    fakeClock.advance(1)
    expect((await rates.getRates('USD')).ok).toBe(true)
    expect(requested.map((line) => line.split(' ')[1])).toEqual([
      '/rates?base=USD',
      '/rates?base=EUR',
      '/rates?base=USD',
    ])
  })

  it('fetches for every call with a lifetime of 0', async () => {
    const { url, requested } = await ratesServer(ratesFor({ USD: { EUR: 0.91 } }))
    const rates = makeHttpRates(options(url, { lifetimeMs: 0 }))
    await rates.getRates('USD')
    await rates.getRates('USD')
    expect(requested).toHaveLength(2)
  })

  it('shares one request among concurrent calls for one base', async () => {
    const held: ServerResponse[] = []
    const { url, requested } = await ratesServer((_request, response) => held.push(response))
    const rates = makeHttpRates(options(url))
    const calls = Array.from({ length: 20 }, () => rates.getRates('USD'))
    const other = rates.getRates('EUR')
    await until(() => held.length === 2)
    expect(requested).toHaveLength(2)
    for (const [i, response] of held.entries()) {
      send(response, { base: i === 0 ? 'USD' : 'EUR', rates: { GBP: 0.8 } })
    }
    const results = await Promise.all(calls)
    expect(results.every((result) => result.ok)).toBe(true)
    expect(new Set(results).size).toBe(1)
    expect((await other).ok).toBe(true)
    expect(requested).toHaveLength(2)
  })

  it('refuses replies that fail validation as invalid_rates', async () => {
    const replies: unknown[] = [
      { base: 'EUR', rates: { USD: 1.1 } },
      { base: 'usd', rates: {} },
      { base: 'USD', rates: { EUR: -0.91 } },
      { base: 'USD', rates: { EUR: '0.91' } },
      { base: 'USD', rates: { EUR: null } },
      { base: 'USD' },
      { rates: { EUR: 0.91 } },
      { base: 'USD', rates: [0.91] },
      '{"base": "USD", "rates": {"EUR": 1e400}}',
      '{"base": "USD", "rates": {"EUR": 0.9',
      '',
      [],
    ]
    let next = 0
    const { url, requested } = await ratesServer((request, response) =>
      json(replies[next++])(request, response),
    )
    const rates = makeHttpRates(options(url))
    for (const _reply of replies) {
      expect(await rates.getRates('USD')).toEqual({ ok: false, error: 'invalid_rates' })
    }
    // Nothing invalid was cached: every call asked again.
    expect(requested).toHaveLength(replies.length)
  })

  it('refuses a reply longer than replyBytesMax as invalid_rates', async () => {
    const { url } = await ratesServer(json({ base: 'USD', rates: { EUR: 0.91, GBP: 0.8 } }))
    const rates = makeHttpRates(options(url, { replyBytesMax: 20 }))
    expect(await rates.getRates('USD')).toEqual({ ok: false, error: 'invalid_rates' })
  })

  it('answers rates_unavailable for a status other than 200, and asks again next time', async () => {
    const statuses = [500, 503, 404, 400, 204]
    let next = 0
    const { url, requested } = await ratesServer((request, response) => {
      const status = statuses[next++] ?? 200
      if (status === 200) return ratesFor({ USD: { EUR: 0.91 } })(request, response)
      response.writeHead(status).end()
    })
    const rates = makeHttpRates(options(url))
    for (const _status of statuses) {
      expect(await rates.getRates('USD')).toEqual({ ok: false, error: 'rates_unavailable' })
    }
    expect((await rates.getRates('USD')).ok).toBe(true)
    expect(requested).toHaveLength(statuses.length + 1)
  })

  it('answers rates_unavailable past timeoutMs', async () => {
    const { url } = await ratesServer(() => {})
    const rates = makeHttpRates(options(url, { timeoutMs: 100 }))
    const started = performance.now()
    expect(await rates.getRates('USD')).toEqual({ ok: false, error: 'rates_unavailable' })
    expect(performance.now() - started).toBeLessThan(1_500)
  })

  it('answers rates_unavailable when the service is down', async () => {
    const { url } = await ratesServer(() => {})
    await new Promise((resolve) => server?.close(resolve))
    server = undefined
    const rates = makeHttpRates(options(url))
    expect(await rates.getRates('USD')).toEqual({ ok: false, error: 'rates_unavailable' })
  })

  it('without a URL converts within one code only', async () => {
    const rates = makeHttpRates(options(undefined))
    expect(await rates.getRates('USD')).toEqual({ ok: false, error: 'rates_unavailable' })
    const usd6 = { code: 'USD', scale: 6 }
    expect(
      await rates.convertSource({ sourceAmount: 12n, sourceAsset: usd, destinationAsset: usd6 }),
    ).toEqual({ ok: true, value: 120_000n })
    expect(
      await rates.convertDestination({
        destinationAmount: 1n,
        sourceAsset: usd,
        destinationAsset: usd6,
      }),
    ).toEqual({ ok: true, value: 1n })
    expect(
      await rates.convertSource({ sourceAmount: 12n, sourceAsset: usd, destinationAsset: eur }),
    ).toEqual({ ok: false, error: 'rates_unavailable' })
  })

  it('keeps the query of the configured URL and encodes the base', async () => {
    const { url, requested } = await ratesServer(ratesFor({ 'A&B': {} }))
    const rates = makeHttpRates(options(`${url}?key=secret`))
    expect((await rates.getRates('A&B')).ok).toBe(true)
    expect(requested).toEqual(['GET /rates?key=secret&base=A%26B application/json'])
  })

  it('keeps at most basesMax bases, dropping the oldest', async () => {
    const { url, requested } = await ratesServer(ratesFor({ USD: {}, EUR: {} }))
    const rates = makeHttpRates(options(url, { basesMax: 1 }))
    await rates.getRates('USD')
    await rates.getRates('EUR')
    await rates.getRates('EUR')
    await rates.getRates('USD')
    expect(requested).toHaveLength(3)
  })

  it('asserts its options', () => {
    expect(() => makeHttpRates(options('not a url'))).toThrow(AssertionError)
    expect(() => makeHttpRates(options(undefined, { timeoutMs: 0 }))).toThrow(AssertionError)
    expect(() => makeHttpRates(options(undefined, { lifetimeMs: -1 }))).toThrow(AssertionError)
    expect(() => makeHttpRates(options(undefined, { basesMax: 0 }))).toThrow(AssertionError)
  })
})

describe('parseRatesReply', () => {
  it('bounds the number of rates', () => {
    const rates = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`C${i}`, 1]))
    const reply = (count: number) => JSON.stringify({ base: 'USD', rates: rates(count) })
    expect(parseRatesReply(reply(10_000), 'USD').ok).toBe(true)
    expect(parseRatesReply(reply(10_001), 'USD')).toEqual({ ok: false, error: 'invalid_rates' })
  })

  it('ignores fields it does not use', () => {
    const table = parseRatesReply(
      JSON.stringify({ base: 'USD', rates: { EUR: 0.91 }, timestamp: 1700000000 }),
      'USD',
    )
    expect(table.ok && table.value.rates.get('EUR')?.mantissa).toBe(91n)
  })
})

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
