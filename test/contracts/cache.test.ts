import { describe } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryCache } from '../../adapters/memory/memory-cache.ts'
import { makeRedisCache } from '../../adapters/redis/redis-cache.ts'
import { closeRedis, openRedis } from '../../adapters/redis/redis-client.ts'
import type { Redis } from '../../adapters/redis/redis-client.ts'
import { runCacheContract } from './cache.contract.ts'
import type { CacheSubject } from './cache.contract.ts'

// An empty value counts as unset, as in `TEST_REDIS_URL= npm test`.
const redisUrl = process.env['TEST_REDIS_URL'] || undefined
// Parallel runs against one Redis each get their own keys, and delete them afterwards.
const runPrefix = `test:cache:${crypto.randomUUID()}:`
let subjectsMade = 0

runCacheContract('memory cache', async () => {
  const clock = makeFakeClock()
  return {
    cache: makeMemoryCache(clock),
    advance: async (ms) => clock.advance(ms),
    close: async () => {},
  }
})

describe.skipIf(redisUrl === undefined)(
  redisUrl === undefined ? 'redis cache: set TEST_REDIS_URL to run against real Redis' : 'redis',
  () => {
    runCacheContract('redis cache', () => makeRedisSubject(redisUrl ?? ''))
  },
)

// The cache's own keyPrefix option is used here; lock.test.ts covers the client's keyPrefix.
async function makeRedisSubject(url: string): Promise<CacheSubject> {
  subjectsMade += 1
  const keyPrefix = `${runPrefix}${subjectsMade}:`
  const redis = await openRedis({ url, connectTimeoutMs: 5_000 })
  return {
    cache: makeRedisCache(redis, { keyPrefix }),
    close: async () => {
      await deleteKeysWithPrefix(redis, keyPrefix)
      await closeRedis(redis)
    },
  }
}

async function deleteKeysWithPrefix(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000)
    if (keys.length > 0) await redis.unlink(...keys)
    cursor = next
  } while (cursor !== '0')
}
