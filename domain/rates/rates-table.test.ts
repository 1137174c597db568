import { describe, expect, it } from 'vitest'
import { unitRate } from './exchange-rate.ts'
import { makeRatesTable, rateTo } from './rates-table.ts'

describe('rates table', () => {
  it('holds every rate exactly', () => {
    const table = makeRatesTable('USD', { EUR: 0.91, JPY: 151.25, XBT: 1e-7 })
    expect(table.ok).toBe(true)
    if (!table.ok) return
    expect(table.value.base).toBe('USD')
    expect(rateTo(table.value, 'EUR')).toEqual({
      ok: true,
      value: { value: 0.91, mantissa: 91n, exponent: -2 },
    })
    expect(rateTo(table.value, 'XBT')).toEqual({
      ok: true,
      value: { value: 1e-7, mantissa: 1n, exponent: -7 },
    })
  })

  it('refuses a table with any invalid number', () => {
    expect(makeRatesTable('USD', { EUR: 0.91, GBP: -0.8 })).toEqual({
      ok: false,
      error: 'invalid_rate',
    })
    expect(makeRatesTable('USD', { EUR: Number.NaN })).toEqual({ ok: false, error: 'invalid_rate' })
  })

  it('has no rate for an absent code and counts a zero rate as missing', () => {
    const table = makeRatesTable('USD', { EUR: 0.91, ZZZ: 0 })
    if (!table.ok) throw new Error('table expected')
    expect(rateTo(table.value, 'GBP')).toEqual({ ok: false, error: 'missing_rate' })
    expect(rateTo(table.value, 'ZZZ')).toEqual({ ok: false, error: 'missing_rate' })
    expect(rateTo(table.value, 'usd')).toEqual({ ok: false, error: 'missing_rate' })
  })

  it('converts the base to itself at 1', () => {
    const table = makeRatesTable('USD', {})
    if (!table.ok) throw new Error('table expected')
    expect(rateTo(table.value, 'USD')).toEqual({ ok: true, value: unitRate })
  })

  it('treats every key as a plain code: inherited object members are never rates', () => {
    const table = makeRatesTable('USD', JSON.parse('{"__proto__": 2, "EUR": 0.91}'))
    if (!table.ok) throw new Error('table expected')
    expect(rateTo(table.value, 'toString')).toEqual({ ok: false, error: 'missing_rate' })
    expect(rateTo(table.value, '__proto__')).toEqual({
      ok: true,
      value: { value: 2, mantissa: 2n, exponent: 0 },
    })
  })
})
