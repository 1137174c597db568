import { assert } from '../shared/assert.ts'
import { err, ok, type Result } from '../shared/result.ts'

/**
 * An exchange rate held exactly as a decimal: value = mantissa × 10^exponent. Amounts are
 * converted with bigint arithmetic on this form, never by multiplying floats.
 */
export type ExchangeRate = {
  /** The number as the rates service sent it (quotes hand it on to STREAM as a price). */
  readonly value: number
  readonly mantissa: bigint
  readonly exponent: number
}

export const unitRate: ExchangeRate = { value: 1, mantissa: 1n, exponent: 0 }

// String(x) of a finite number x >= 0: digits, an optional fraction, an optional exponent.
const decimalPattern = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/

/**
 * Reads a rate as its shortest round-trip decimal (String(0.91) is '0.91'), so a rate sent as
 * 0.91 converts as exactly 91/100. NaN, infinities and negative numbers are not rates.
 */
export function parseExchangeRate(value: number): Result<ExchangeRate, 'invalid_rate'> {
  if (!Number.isFinite(value) || value < 0) return err('invalid_rate')
  const match = decimalPattern.exec(String(value))
  assert(match !== null, `exchange rate: unexpected decimal form ${String(value)}`)
  const [, whole = '', fraction = '', exponent = '0'] = match
  const digits = (whole + fraction).replace(/^0+/, '')
  if (digits === '') return ok({ value, mantissa: 0n, exponent: 0 })
  // Trailing zeros move into the exponent so that one rate has one representation.
  const significant = digits.replace(/0+$/, '')
  return ok({
    value,
    mantissa: BigInt(significant),
    exponent: Number(exponent) - fraction.length + (digits.length - significant.length),
  })
}

export const isZeroRate = (rate: ExchangeRate): boolean => rate.mantissa === 0n
