// How the resource server and the authorization server look up a client's keys
// ({wallet address}/jwks.json): the same timeout and cache lifetime for both.
import { makeHttpClientKeys } from '../adapters/auth/http-client-keys.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { ClientKeys } from '../application/ports/client-keys.ts'
import type { Clock } from '../application/ports/clock.ts'

const clientKeysTimeoutMs = 5_000
// Client keys are reused this long; a key removed by its owner stays trusted as long.
const clientKeysTtlMs = 30_000

export const makeClientKeys = (cache: Cache, clock: Clock): ClientKeys =>
  makeHttpClientKeys({ cache, clock, timeoutMs: clientKeysTimeoutMs, ttlMs: clientKeysTtlMs })
