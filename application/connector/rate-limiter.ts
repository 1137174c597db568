import { assert } from '../../domain/shared/assert.ts'

/** Admits a packet from an account or not (T05); in process, per replica. */
export type RateLimiter = { admit(accountId: string, nowMs: number): boolean }

export type TokenBucketOptions = {
  /** Packets an account may send at once after a quiet spell. */
  readonly capacity: number
  /** Packets per second an account may keep sending. */
  readonly refillPerSecond: number
  /** Buckets kept; past it the least recently created are forgotten (they refill anyway). */
  readonly accountsMax?: number
}

type Bucket = { tokens: number; atMs: number }

export function makeTokenBucketLimiter(options: TokenBucketOptions): RateLimiter {
  const { capacity, refillPerSecond } = options
  const accountsMax = options.accountsMax ?? 100_000
  assert(capacity >= 1 && refillPerSecond > 0, 'rate limiter: capacity >= 1, refill > 0')
  const buckets = new Map<string, Bucket>()
  return {
    admit(accountId, nowMs) {
      let bucket = buckets.get(accountId)
      if (bucket === undefined) {
        if (buckets.size >= accountsMax) {
          const oldest = buckets.keys().next()
          if (!oldest.done) buckets.delete(oldest.value)
        }
        bucket = { tokens: capacity, atMs: nowMs }
        buckets.set(accountId, bucket)
      }
      const elapsedMs = Math.max(0, nowMs - bucket.atMs)
      bucket.tokens = Math.min(capacity, bucket.tokens + (elapsedMs * refillPerSecond) / 1000)
      bucket.atMs = nowMs
      if (bucket.tokens < 1) return false
      bucket.tokens -= 1
      return true
    },
  }
}
