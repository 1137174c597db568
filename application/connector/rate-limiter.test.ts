import { describe, expect, it } from 'vitest'
import { makeTokenBucketLimiter } from './rate-limiter.ts'

describe('token bucket rate limiter', () => {
  it('admits a burst of capacity, then the refill rate', () => {
    const limiter = makeTokenBucketLimiter({ capacity: 3, refillPerSecond: 2 })
    const admitted = (at: number, n: number) =>
      Array.from({ length: n }, () => limiter.admit('a', at)).filter(Boolean).length
    expect(admitted(0, 5)).toBe(3)
    expect(admitted(500, 5)).toBe(1)
    expect(admitted(1500, 5)).toBe(2)
    expect(admitted(100_000, 10)).toBe(3)
  })

  it('keeps accounts apart', () => {
    const limiter = makeTokenBucketLimiter({ capacity: 1, refillPerSecond: 1 })
    expect(limiter.admit('a', 0)).toBe(true)
    expect(limiter.admit('a', 0)).toBe(false)
    expect(limiter.admit('b', 0)).toBe(true)
  })
})
