// How the resource server and the authorization server check a client: its keys
// ({wallet address}/jwks.json) with the same timeout and cache lifetime, and the same oldest
// signature they accept.
import { makeHttpClientKeys } from '../adapters/auth/http-client-keys.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { ClientKeys } from '../application/ports/client-keys.ts'
import type { Clock } from '../application/ports/clock.ts'

const clientKeysTimeoutMs = 5_000
// Client keys are reused this long; a key removed by its owner stays trusted as long.
const clientKeysTtlMs = 30_000

export const makeClientKeys = (cache: Cache, clock: Clock): ClientKeys =>
  makeHttpClientKeys({ cache, clock, timeoutMs: clientKeysTimeoutMs, ttlMs: clientKeysTtlMs })

// Rafiki checks no signature age; an old signature is a replay risk, and clients sign each call.
export const signatureMaxAgeSeconds = 300
