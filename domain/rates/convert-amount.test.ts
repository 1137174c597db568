import { describe, expect, it } from 'vitest'
import { AssertionError } from '../shared/assert.ts'
import { uint64Max } from '../shared/uint64.ts'
import { convertDestination, convertSource } from './convert-amount.ts'
import { parseExchangeRate, unitRate, type ExchangeRate } from './exchange-rate.ts'

const rate = (value: number): ExchangeRate => {
  const parsed = parseExchangeRate(value)
  if (!parsed.ok) throw new Error(`not a rate: ${value}`)
  return parsed.value
}
const usd = (scale = 2) => ({ code: 'USD', scale })
const eur = (scale = 2) => ({ code: 'EUR', scale })

const forward = (amount: bigint, r: ExchangeRate, sourceScale = 2, destinationScale = 2) =>
  convertSource(
    {
      sourceAmount: amount,
      sourceAsset: usd(sourceScale),
      destinationAsset: eur(destinationScale),
    },
    r,
  )
const inverse = (amount: bigint, r: ExchangeRate, sourceScale = 2, destinationScale = 2) =>
  convertDestination(
    {
      destinationAmount: amount,
      sourceAsset: usd(sourceScale),
      destinationAsset: eur(destinationScale),
    },
    r,
  )
const value = (amount: bigint) => ({ ok: true, value: amount })
const overflow = { ok: false, error: 'amount_overflow' }

describe('convertSource (rounds down, towards the receiver)', () => {
  it('keeps the amount for one asset', () => {
    expect(forward(12_345n, unitRate)).toEqual(value(12_345n))
    expect(forward(uint64Max, unitRate)).toEqual(value(uint64Max))
    expect(forward(0n, unitRate)).toEqual(value(0n))
  })

  it('only rescales between scales of one code', () => {
    expect(forward(123n, unitRate, 2, 4)).toEqual(value(12_300n))
    expect(forward(12_345n, unitRate, 4, 2)).toEqual(value(123n))
    expect(forward(99n, unitRate, 2, 0)).toEqual(value(0n))
    expect(forward(uint64Max, unitRate, 9, 0)).toEqual(value(18_446_744_073n))
    expect(forward(1n, unitRate, 0, 255)).toEqual(overflow)
    expect(forward(10n ** 19n, unitRate, 255, 236)).toEqual(value(1n))
  })

  it('is exact where floating point is not', () => {
    expect(forward(100n, rate(0.91))).toEqual(value(91n))
    expect(forward(1n, rate(0.91))).toEqual(value(0n))
    // 100 * 0.29 is 28.999999999999996 in floating point.
    expect(forward(100n, rate(0.29))).toEqual(value(29n))
    // 3 * 0.1 is 0.30000000000000004; scaled up by 10 it must still be 3.
    expect(forward(3n, rate(0.1), 2, 3)).toEqual(value(3n))
    expect(forward(10_000_000n, rate(1.0833333))).toEqual(value(10_833_333n))
    expect(forward(3n, rate(1.0833333))).toEqual(value(3n))
    expect(forward(12n, rate(1.0833333))).toEqual(value(12n))
  })

  it('handles tiny and huge rates', () => {
    expect(forward(10_000_000n, rate(1e-7))).toEqual(value(1n))
    expect(forward(9_999_999n, rate(1e-7))).toEqual(value(0n))
    expect(forward(uint64Max, rate(5e-324))).toEqual(value(0n))
    expect(forward(1n, rate(Number.MAX_VALUE))).toEqual(overflow)
    expect(forward(1n, rate(1e19), 0, 0)).toEqual(value(10n ** 19n))
  })

  it('gives 0 at rate 0', () => {
    expect(forward(uint64Max, rate(0))).toEqual(value(0n))
  })

  it('refuses results above 2^64 - 1 and keeps 2^64 - 1 itself', () => {
    expect(forward(uint64Max, rate(1.0000001))).toEqual(overflow)
    expect(forward(uint64Max, unitRate, 0, 1)).toEqual(overflow)
    expect(forward(uint64Max, rate(0.5))).toEqual(value(uint64Max / 2n))
    expect(forward(uint64Max, rate(1e5), 5, 0)).toEqual(value(uint64Max))
  })
})

describe('convertDestination (rounds up, towards the sender)', () => {
  it('keeps the amount for one asset and rescales between scales', () => {
    expect(inverse(12_345n, unitRate)).toEqual(value(12_345n))
    expect(inverse(123n, unitRate, 4, 2)).toEqual(value(12_300n))
    expect(inverse(12_301n, unitRate, 2, 4)).toEqual(value(124n))
    expect(inverse(12_300n, unitRate, 2, 4)).toEqual(value(123n))
    expect(inverse(1n, unitRate, 255, 0)).toEqual(overflow)
  })

  it('is exact where floating point is not', () => {
    expect(inverse(91n, rate(0.91))).toEqual(value(100n))
    expect(inverse(1n, rate(0.91))).toEqual(value(2n))
    // 7 / 0.07 is 100.00000000000001 in floating point, so Math.ceil would charge 101.
    expect(inverse(7n, rate(0.07))).toEqual(value(100n))
    expect(inverse(10_833_333n, rate(1.0833333))).toEqual(value(10_000_000n))
    // 12 * 1.0833333 = 12.9999996 < 13, so 13 costs 13.
    expect(inverse(13n, rate(1.0833333))).toEqual(value(13n))
  })

  it('handles tiny rates', () => {
    expect(inverse(1n, rate(1e-7))).toEqual(value(10_000_000n))
    expect(inverse(uint64Max, rate(1e-7))).toEqual(overflow)
    expect(inverse(1n, rate(5e-324))).toEqual(overflow)
    expect(inverse(uint64Max, rate(Number.MAX_VALUE))).toEqual(value(1n))
  })

  it('costs nothing for nothing, and cannot deliver anything at rate 0', () => {
    expect(inverse(0n, rate(0))).toEqual(value(0n))
    expect(inverse(0n, rate(1e-7))).toEqual(value(0n))
    expect(inverse(1n, rate(0))).toEqual(overflow)
  })

  it('refuses results above 2^64 - 1', () => {
    expect(inverse(uint64Max, rate(0.9))).toEqual(overflow)
    expect(inverse(uint64Max, rate(1))).toEqual(value(uint64Max))
  })
})

describe('conversion inputs', () => {
  it('asserts unsigned 64-bit amounts and scales 0..255', () => {
    expect(() => forward(-1n, unitRate)).toThrow(AssertionError)
    expect(() => forward(uint64Max + 1n, unitRate)).toThrow(AssertionError)
    expect(() => inverse(-1n, unitRate)).toThrow(AssertionError)
    expect(() => forward(1n, unitRate, 256, 2)).toThrow(AssertionError)
    expect(() => inverse(1n, unitRate, 2, -1)).toThrow(AssertionError)
    expect(() => forward(1n, unitRate, 1.5, 2)).toThrow(AssertionError)
  })
})

// xorshift64: deterministic, so a failure always reproduces.
function makeRandom(seed: bigint): (below: bigint) => bigint {
  let state = seed
  return (below) => {
    state ^= (state << 13n) & uint64Max
    state ^= state >> 7n
    state ^= (state << 17n) & uint64Max
    return state % below
  }
}

const sampleRates = [0.91, 1.0833333, 1e-7, 0.07, 0.29, 3, 151.25, 1e-3, 0.333333333, 1.1602, 7e5]

describe('conversion properties', () => {
  it('floors exactly and inverts to the least sufficient source amount', () => {
    const random = makeRandom(0x9e3779b97f4a7c15n)
    for (let i = 0; i < 2_000; i++) {
      const r = rate(sampleRates[Number(random(BigInt(sampleRates.length)))] ?? 1)
      const sourceScale = Number(random(10n))
      const destinationScale = Number(random(10n))
      const magnitude = 10n ** random(20n)
      const amount = random(magnitude) + 1n

      const converted = forward(amount, r, sourceScale, destinationScale)
      if (converted.ok) {
        // floor(x) = y  <=>  y <= x < y + 1, checked on amount × mantissa × 10^exponent.
        const exponent = r.exponent + destinationScale - sourceScale
        const exact = amount * r.mantissa * 10n ** BigInt(Math.max(exponent, 0))
        const unit = 10n ** BigInt(Math.max(-exponent, 0))
        expect(converted.value * unit <= exact && exact < (converted.value + 1n) * unit).toBe(true)
      }

      const cost = inverse(amount, r, sourceScale, destinationScale)
      if (!cost.ok) continue
      const delivered = forward(cost.value, r, sourceScale, destinationScale)
      expect(delivered.ok && delivered.value >= amount).toBe(true)
      if (cost.value > 0n) {
        const less = forward(cost.value - 1n, r, sourceScale, destinationScale)
        expect(less.ok && less.value < amount).toBe(true)
      }
    }
  })
})
