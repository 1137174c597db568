import { describe, expect, it } from 'vitest'
import { quoteExpiresAt, ratioValue } from './quote.ts'

describe('quoteExpiresAt', () => {
  const now = Date.UTC(2025, 0, 1)
  it('is now + lifespan for a receiver without expiry or expiring later', () => {
    expect(quoteExpiresAt(now, 300_000, null)).toEqual(new Date(now + 300_000))
    expect(quoteExpiresAt(now, 300_000, new Date(now + 300_001))).toEqual(new Date(now + 300_000))
  })
  it("is capped by the receiver's expiry", () => {
    expect(quoteExpiresAt(now, 300_000, new Date(now + 60_000))).toEqual(new Date(now + 60_000))
  })
})

describe('ratioValue', () => {
  it('divides as a float', () => {
    expect(ratioValue({ numerator: 91n, denominator: 100n })).toBe(0.91)
  })
})
