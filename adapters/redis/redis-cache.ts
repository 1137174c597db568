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
    // INCRBY checks the signed 64-bit range itself; the total is read back with GET because
    // ioredis returns integer replies as JavaScript numbers, exact only up to 2^53.
    async incrementBy(key, amount, ttlMs) {
      assertTtl(ttlMs)
      assert(
        amount >= 0n && amount <= int64Max,
        'redis cache: incrementBy amount must be 0..2^63-1',
      )
      const replies = await redis
        .multi()
        .incrby(keyOf(key), amount.toString())
        .pexpire(keyOf(key), ttlMs)
        .get(keyOf(key))
        .exec()
      assert(replies !== null, 'redis cache: incrementBy transaction was aborted')
      for (const [error] of replies) if (error) throw error
      const total = replies[2]?.[1]
      assert(typeof total === 'string', 'redis cache: incrementBy read back no total')
      return BigInt(total)
    },
  }
}

const int64Max = 2n ** 63n - 1n

// Redis refuses a PX that is not a positive integer; failing here names the caller's bug.
function assertTtl(ttlMs: number): void {
  assert(Number.isSafeInteger(ttlMs) && ttlMs > 0, 'redis cache: ttlMs must be an integer > 0')
}
