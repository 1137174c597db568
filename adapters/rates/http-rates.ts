import * as v from 'valibot'
import { ratesFromTables } from '../../application/rates/rates-from-tables.ts'
import type { Clock } from '../../application/ports/clock.ts'
import type { Rates, RatesError } from '../../application/ports/rates.ts'
import { makeRatesTable, type RatesTable } from '../../domain/rates/rates-table.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Ok, type Result } from '../../domain/shared/result.ts'
import { fetchText } from '../auth/fetch-text.ts'

export type HttpRatesOptions = {
  /** EXCHANGE_RATES_URL; without it only conversions within one asset code work. */
  readonly url?: string | undefined
  /** EXCHANGE_RATES_LIFETIME: how long fetched rates are used; 0 fetches for every call. */
  readonly lifetimeMs: number
  /** One fetch, reply body included; past it the rates service counts as unavailable. */
  readonly timeoutMs: number
  readonly clock: Clock
  readonly replyBytesMax?: number
  /** Bases kept in the cache at once; the oldest is dropped past it. */
  readonly basesMax?: number
}

const replyBytesMaxDefault = 1024 * 1024
const basesMaxDefault = 1_000
// Every fiat currency and a few thousand tokens fit; this bounds the work on a broken reply.
const ratesMax = 10_000

const replySchema = v.object({
  base: v.string(),
  rates: v.pipe(
    // v.record alone would read an array as an object keyed '0', '1', ...
    v.unknown(),
    v.check((rates) => !Array.isArray(rates), 'an object, not an array'),
    v.record(v.string(), v.pipe(v.number(), v.finite(), v.minValue(0))),
    v.maxEntries(ratesMax),
  ),
})

type TableResult = Result<RatesTable, RatesError>
// The Ok value itself is kept so that a cache hit on the packet path allocates nothing new.
type Cached = { readonly result: Ok<RatesTable>; readonly expiresAtMs: number }

/**
 * Rates from GET `${url}?base=CODE`, kept per base for lifetimeMs; concurrent calls for one base
 * share one request. Failures are not cached: the next call asks again. Never throws.
 */
export function makeHttpRates(options: HttpRatesOptions): Rates {
  const { url, lifetimeMs, timeoutMs, clock } = options
  const replyBytesMax = options.replyBytesMax ?? replyBytesMaxDefault
  const basesMax = options.basesMax ?? basesMaxDefault
  assert(url === undefined || URL.canParse(url), 'http rates: url must be a URL')
  assert(Number.isSafeInteger(lifetimeMs) && lifetimeMs >= 0, 'http rates: lifetimeMs >= 0')
  assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, 'http rates: timeoutMs > 0')
  assert(Number.isSafeInteger(replyBytesMax) && replyBytesMax > 0, 'http rates: replyBytesMax > 0')
  assert(Number.isSafeInteger(basesMax) && basesMax > 0, 'http rates: basesMax > 0')
  const cache = new Map<string, Cached>()
  const inFlight = new Map<string, Promise<TableResult>>()

  async function fetchRates(ratesUrl: string, base: string): Promise<TableResult> {
    const target = new URL(ratesUrl)
    target.searchParams.set('base', base)
    const reply = await fetchText(
      target.href,
      { headers: { accept: 'application/json' } },
      { timeoutMs, replyBytesMax },
    )
    if (!reply.ok) return err(reply.error === 'unreachable' ? 'rates_unavailable' : 'invalid_rates')
    if (reply.value.status !== 200) return err('rates_unavailable')
    return parseRatesReply(reply.value.text, base)
  }

  function remember(base: string, table: RatesTable): void {
    cache.delete(base)
    if (cache.size >= basesMax) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
    cache.set(base, { result: ok(table), expiresAtMs: clock.now() + lifetimeMs })
  }

  async function fetchShared(ratesUrl: string, base: string): Promise<TableResult> {
    try {
      const result = await fetchRates(ratesUrl, base)
      if (result.ok) remember(base, result.value)
      return result
    } finally {
      inFlight.delete(base)
    }
  }

  function getRates(base: string): Promise<TableResult> {
    if (url === undefined) return Promise.resolve(err('rates_unavailable'))
    const cached = cache.get(base)
    if (cached !== undefined && clock.now() < cached.expiresAtMs) {
      return Promise.resolve(cached.result)
    }
    let running = inFlight.get(base)
    if (running === undefined) {
      running = fetchShared(url, base)
      inFlight.set(base, running)
    }
    return running
  }

  return {
    ...ratesFromTables(getRates),
  }
}

/** Validates a rates reply: JSON {base: the asked code, rates: {CODE: finite number >= 0}}. */
export function parseRatesReply(text: string, base: string): Result<RatesTable, 'invalid_rates'> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return err('invalid_rates')
  }
  const parsed = v.safeParse(replySchema, json)
  if (!parsed.success || parsed.output.base !== base) return err('invalid_rates')
  const table = makeRatesTable(base, parsed.output.rates)
  return table.ok ? table : err('invalid_rates')
}
