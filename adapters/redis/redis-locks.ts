import type { Redis } from 'ioredis'
import type { LockHandle, Locks } from '../../application/ports/lock.ts'
import { assert } from '../../domain/shared/assert.ts'

export type RedisLocksOptions = {
  /** Prepended to every lock key, after the client's own keyPrefix if it has one. */
  readonly keyPrefix?: string
}

// Deletes the key only while it still holds our token, in one step on the server, so a holder
// whose lock expired cannot release the lock someone else has taken since.
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`

export function makeRedisLocks(redis: Redis, options: RedisLocksOptions = {}): Locks {
  const keyPrefix = options.keyPrefix ?? ''
  return {
    async tryAcquire(key, ttlMs) {
      assert(Number.isSafeInteger(ttlMs) && ttlMs > 0, 'redis locks: ttlMs must be an integer > 0')
      const lockKey = keyPrefix + key
      const token = crypto.randomUUID()
      const reply = await redis.set(lockKey, token, 'PX', ttlMs, 'NX')
      if (reply !== 'OK') return undefined
      const handle: LockHandle = {
        async release() {
          await redis.eval(releaseScript, 1, lockKey, token)
        },
      }
      return handle
    },
  }
}
