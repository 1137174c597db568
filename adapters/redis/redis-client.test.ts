import { describe, expect, it } from 'vitest'
import { closeRedis, openRedis } from './redis-client.ts'

// An empty value counts as unset, as in `TEST_REDIS_URL= npm test`.
const redisUrl = process.env['TEST_REDIS_URL'] || undefined

describe('openRedis', () => {
  it('fails within connectTimeoutMs on a port nobody listens on, naming REDIS_URL', async () => {
    const startedMs = Date.now()
    const opening = openRedis({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 300 })
    await expect(opening).rejects.toThrow(
      /^REDIS_URL: cannot connect to Redis at 127\.0\.0\.1:1 within 300 ms \(.*ECONNREFUSED/,
    )
    expect(Date.now() - startedMs).toBeLessThan(1_500)
  })

  it('never puts the password in its error', async () => {
    const opening = openRedis({ url: 'redis://user:s3cret@127.0.0.1:1', connectTimeoutMs: 100 })
    await expect(opening).rejects.toThrow(/127\.0\.0\.1:1/)
    await expect(opening).rejects.not.toThrow(/s3cret/)
  })

  it('refuses a URL that is not redis:// or rediss://', async () => {
    await expect(openRedis({ url: 'not a url', connectTimeoutMs: 100 })).rejects.toThrow(
      /^REDIS_URL is not a valid URL/,
    )
    await expect(
      openRedis({ url: 'http://127.0.0.1:6379', connectTimeoutMs: 100 }),
    ).rejects.toThrow(/^REDIS_URL has scheme http:/)
  })

  it('names the TLS variable whose file cannot be read', async () => {
    const opening = openRedis({
      url: 'redis://127.0.0.1:1',
      tlsCaFile: '/nonexistent/ca.pem',
      connectTimeoutMs: 100,
    })
    await expect(opening).rejects.toThrow(/^REDIS_TLS_CA_FILE_PATH: cannot read \/nonexistent/)
  })

  describe.skipIf(redisUrl === undefined)(
    redisUrl === undefined ? 'against real Redis: set TEST_REDIS_URL to run' : 'against real Redis',
    () => {
      const url = redisUrl ?? ''

      it('connects, answers and closes', async () => {
        const redis = await openRedis({ url, connectTimeoutMs: 5_000 })
        expect(await redis.ping()).toBe('PONG')
        await closeRedis(redis)
        await closeRedis(redis)
        await expect(redis.ping()).rejects.toThrow()
      })

      it('fails within the timeout when TLS is asked of a plain-text server', async () => {
        const plainUrl = new URL(url)
        if (plainUrl.protocol === 'rediss:') return
        plainUrl.protocol = 'rediss:'
        const opening = openRedis({ url: plainUrl.href, connectTimeoutMs: 300 })
        await expect(opening).rejects.toThrow(/^REDIS_URL: cannot connect to Redis at .* 300 ms/)
      })
    },
  )
})
