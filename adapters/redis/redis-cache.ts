import type { Redis } from 'ioredis'
import type { Cache } from '../../application/ports/cache.ts'
import { assert } from '../../domain/shared/assert.ts'

export type RedisCacheOptions = {
  /** Prepended to every key, after the client's own keyPrefix if it has one. */
  readonly keyPrefix?: string
}

// Shared by every replica using the same Redis; expiry is Redis's own (PX, in milliseconds).
export function makeRedisCache(redis: Redis, options: RedisCacheOptions = {}): Cache {
  const keyPrefix = options.keyPrefix ?? ''
  const keyOf = (key: string) => keyPrefix + key
  return {
    async get(key) {
      const value = await redis.get(keyOf(key))
      return value ?? undefined
    },
    async set(key, value, ttlMs) {
      assertTtl(ttlMs)
      await redis.set(keyOf(key), value, 'PX', ttlMs)
    },
    async setIfAbsent(key, value, ttlMs) {
      assertTtl(ttlMs)
      const reply = await redis.set(keyOf(key), value, 'PX', ttlMs, 'NX')
      return reply === 'OK'
    },
    async delete(key) {
      await redis.del(keyOf(key))
    },
  }
}

// Redis refuses a PX that is not a positive integer; failing here names the caller's bug.
function assertTtl(ttlMs: number): void {
  assert(Number.isSafeInteger(ttlMs) && ttlMs > 0, 'redis cache: ttlMs must be an integer > 0')
}
