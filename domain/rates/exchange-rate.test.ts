import { describe, expect, it } from 'vitest'
import { isZeroRate, parseExchangeRate, unitRate } from './exchange-rate.ts'

describe('parseExchangeRate', () => {
  it.each([
    [0.91, 91n, -2],
    [1.0833333, 10833333n, -7],
    [1e-7, 1n, -7],
    [1, 1n, 0],
    [100, 1n, 2],
    [1.5e21, 15n, 20],
    [120.5, 1205n, -1],
    [0.000123, 123n, -6],
    [5e-324, 5n, -324],
    [Number.MAX_VALUE, 17976931348623157n, 292],
    [Number.MAX_SAFE_INTEGER, 9007199254740991n, 0],
  ])('reads %d as its shortest decimal', (value, mantissa, exponent) => {
    expect(parseExchangeRate(value)).toEqual({ ok: true, value: { value, mantissa, exponent } })
  })

  it('reads zero, signed or not, as the zero rate', () => {
    for (const value of [0, -0]) {
      const rate = parseExchangeRate(value)
      expect(rate.ok && rate.value.mantissa === 0n && rate.value.exponent === 0).toBe(true)
      expect(rate.ok && isZeroRate(rate.value)).toBe(true)
    }
  })

  it.each([-1, -1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'refuses %d',
    (value) => {
      expect(parseExchangeRate(value)).toEqual({ ok: false, error: 'invalid_rate' })
    },
  )

  it('gives the unit rate for 1', () => {
    expect(parseExchangeRate(1)).toEqual({ ok: true, value: unitRate })
    expect(isZeroRate(unitRate)).toBe(false)
  })
})
