import * as v from 'valibot'
import type { Cache } from '../../application/ports/cache.ts'
import type { ClientKeys, ClientKeysError } from '../../application/ports/client-keys.ts'
import type { Clock } from '../../application/ports/clock.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { fetchText } from './fetch-text.ts'
import { ed25519JwkSchema } from './jwk-schema.ts'

export type HttpClientKeysOptions = {
  readonly cache: Cache
  readonly clock: Clock
  /** One fetch of `{client}/jwks.json`, reply body included. */
  readonly timeoutMs: number
  /** How long fetched keys are reused; a removed key stays trusted this long. */
  readonly ttlMs: number
  /** A refresh (an unknown kid) is answered from keys fetched less than this long ago. */
  readonly refreshIntervalMs?: number
  readonly replyBytesMax?: number
}

const refreshIntervalMsDefault = 5_000
const replyBytesMaxDefault = 64 * 1024
// A key set is a handful of keys; these bound the work on a hostile one.
const keysMax = 100
const cacheKeyPrefix = 'open-payments:client-keys:'

const keysSchema = v.pipe(v.array(ed25519JwkSchema), v.maxLength(keysMax))
const jwksSchema = v.object({ keys: keysSchema })
const cachedSchema = v.object({ fetchedAtMs: v.number(), keys: keysSchema })

type Cached = { readonly fetchedAtMs: number; readonly keys: readonly Jwk[] }
type KeysResult = Result<readonly Jwk[], ClientKeysError>

/**
 * Fetches a client's keys from `{client wallet address}/jwks.json`, keeps them in the cache for
 * ttlMs, and lets concurrent requests for one client share one fetch. Never throws.
 */
export function makeHttpClientKeys(options: HttpClientKeysOptions): ClientKeys {
  const { cache, clock, timeoutMs, ttlMs } = options
  const refreshIntervalMs = options.refreshIntervalMs ?? refreshIntervalMsDefault
  const replyBytesMax = options.replyBytesMax ?? replyBytesMaxDefault
  assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, 'client keys: timeoutMs > 0')
  assert(Number.isSafeInteger(ttlMs) && ttlMs > 0, 'client keys: ttlMs > 0')
  assert(refreshIntervalMs >= 0, 'client keys: refreshIntervalMs >= 0')
  const inFlight = new Map<string, Promise<KeysResult>>()

  async function fetchAndStore(client: string): Promise<KeysResult> {
    const reply = await fetchText(
      `${client}/jwks.json`,
      { headers: { accept: 'application/json' } },
      { timeoutMs, replyBytesMax },
    )
    if (!reply.ok) return err(reply.error === 'unreachable' ? 'unreachable' : 'invalid_keys')
    if (reply.value.status !== 200) return err('unreachable')
    const keys = parseJwks(reply.value.text)
    if (!keys.ok) return keys
    const cached: Cached = { fetchedAtMs: clock.now(), keys: keys.value }
    // A cache that is down costs a fetch per request, not the request.
    await cache.set(cacheKeyPrefix + client, JSON.stringify(cached), ttlMs).catch(() => {})
    return keys
  }

  return {
    async getKeys(client, getOptions = {}) {
      if (!isHttpUrl(client)) return err('invalid_keys')
      const cached = await readCached(cache, client)
      const young = cached !== undefined && clock.now() - cached.fetchedAtMs < refreshIntervalMs
      if (cached !== undefined && (getOptions.refresh !== true || young)) return ok(cached.keys)
      const running = inFlight.get(client)
      if (running !== undefined) return running
      const fetching = fetchAndStore(client).finally(() => inFlight.delete(client))
      inFlight.set(client, fetching)
      return fetching
    },
  }
}

/** Validates a JWK set document. */
export function parseJwks(text: string): Result<readonly Jwk[], 'invalid_keys'> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return err('invalid_keys')
  }
  const parsed = v.safeParse(jwksSchema, json)
  return parsed.success ? ok(parsed.output.keys) : err('invalid_keys')
}

// Cached values are outside input too (another replica, an older version): checked again.
async function readCached(cache: Cache, client: string): Promise<Cached | undefined> {
  try {
    const text = await cache.get(cacheKeyPrefix + client)
    if (text === undefined) return undefined
    const parsed = v.safeParse(cachedSchema, JSON.parse(text))
    if (!parsed.success) return undefined
    return { fetchedAtMs: parsed.output.fetchedAtMs, keys: parsed.output.keys }
  } catch {
    return undefined
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}
