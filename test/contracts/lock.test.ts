import { describe } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryLocks } from '../../adapters/memory/memory-locks.ts'
import { closeRedis, openRedis } from '../../adapters/redis/redis-client.ts'
import type { Redis } from '../../adapters/redis/redis-client.ts'
import { makeRedisLocks } from '../../adapters/redis/redis-locks.ts'
import { runLockContract } from './lock.contract.ts'
import type { LocksSubject } from './lock.contract.ts'

// An empty value counts as unset, as in `TEST_REDIS_URL= npm test`.
const redisUrl = process.env['TEST_REDIS_URL'] || undefined
// Parallel runs against one Redis each get their own keys, and delete them afterwards.
const runPrefix = `test:lock:${crypto.randomUUID()}:`
let subjectsMade = 0

runLockContract('memory locks', async () => {
  const clock = makeFakeClock()
  return {
    locks: makeMemoryLocks(clock),
    advance: async (ms) => clock.advance(ms),
    close: async () => {},
  }
})

describe.skipIf(redisUrl === undefined)(
  redisUrl === undefined ? 'redis locks: set TEST_REDIS_URL to run against real Redis' : 'redis',
  () => {
    runLockContract('redis locks', () => makeRedisSubject(redisUrl ?? ''))
  },
)

// The client's keyPrefix is used here, so the release script's KEYS must be prefixed by ioredis
// too; cache.test.ts covers the adapter's own keyPrefix option.
async function makeRedisSubject(url: string): Promise<LocksSubject> {
  subjectsMade += 1
  const keyPrefix = `${runPrefix}${subjectsMade}:`
  const redis = await openRedis({ url, connectTimeoutMs: 5_000, keyPrefix })
  return {
    locks: makeRedisLocks(redis),
    close: async () => {
      await deleteKeysWithPrefix(redis, keyPrefix)
      await closeRedis(redis)
    },
  }
}

// SCAN patterns are not prefixed by ioredis but the keys given to UNLINK are, so strip it first.
async function deleteKeysWithPrefix(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000)
    if (keys.length > 0) await redis.unlink(...keys.map((key) => key.slice(keyPrefix.length)))
    cursor = next
  } while (cursor !== '0')
}
