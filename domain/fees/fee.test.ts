import { describe, expect, it } from 'vitest'
import { uint64Max } from '../shared/uint64.ts'
import {
  amountBeforeFee,
  isFeeType,
  sendingFeeFor,
  validateFeeAmounts,
  type FeeAmounts,
} from './fee.ts'

const fee = (fixed: bigint, basisPoints: number): FeeAmounts => ({ fixed, basisPoints })

// A deterministic stream of bigints below `bound` (a 64-bit LCG), so failures reproduce.
function* pseudoRandom(count: number, bound: bigint): Generator<bigint> {
  let state = 0x2545f4914f6cdd1dn
  for (let i = 0; i < count; i += 1) {
    state = (state * 6364136223846793005n + 1442695040888963407n) & uint64Max
    yield state % bound
  }
}

describe('fee rules', () => {
  it.each([
    [0n, 0],
    [0n, 10_000],
    [uint64Max, 0],
    [5n, 250],
  ])('accepts fixed %s with %i basis points', (fixed, basisPoints) => {
    expect(validateFeeAmounts(fee(fixed, basisPoints))).toEqual({
      ok: true,
      value: { fixed, basisPoints },
    })
  })

  it.each([-1n, uint64Max + 1n])('refuses fixed %s', (fixed) => {
    expect(validateFeeAmounts(fee(fixed, 0))).toEqual({ ok: false, error: 'invalid_fixed_fee' })
  })

  it.each([-1, 10_001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %d basis points',
    (basisPoints) => {
      expect(validateFeeAmounts(fee(0n, basisPoints))).toEqual({
        ok: false,
        error: 'invalid_basis_points',
      })
    },
  )

  it('knows the two fee types', () => {
    expect(isFeeType('SENDING')).toBe(true)
    expect(isFeeType('RECEIVING')).toBe(true)
    expect(isFeeType('sending')).toBe(false)
    expect(isFeeType('')).toBe(false)
  })
})

describe('sendingFeeFor', () => {
  it.each([
    // amount, fixed, basis points, fee
    [0n, 0n, 0, 0n],
    [0n, 7n, 10_000, 7n],
    [500n, 0n, 0, 0n],
    [500n, 3n, 0, 3n],
    [500n, 0n, 100, 5n],
    [550n, 0n, 100, 6n], // 5.5 rounds up
    [1n, 0n, 1, 1n], // 0.0001 rounds up
    [9_999n, 0n, 1, 1n],
    [10_000n, 0n, 1, 1n], // exactly 1: no rounding
    [10_001n, 0n, 1, 2n],
    [20_000n, 0n, 1, 2n],
    [500n, 50n, 10_000, 550n], // 100% of the amount
    [199n, 1n, 5_000, 101n], // 99.5 -> 100, plus 1
  ])('%s with fixed %s and %i bp costs %s', (amount, fixed, basisPoints, expected) => {
    expect(sendingFeeFor(amount, fee(fixed, basisPoints))).toBe(expected)
  })

  it('is exact where floating point is not', () => {
    // 2^63 + 1 units at 1 bp: Number() would lose the +1 and the rounding.
    const amount = 2n ** 63n + 1n
    expect(sendingFeeFor(amount, fee(0n, 1))).toBe(amount / 10_000n + 1n)
    expect(sendingFeeFor(uint64Max, fee(uint64Max, 10_000))).toBe(uint64Max * 2n)
  })

  it('is the smallest whole fee covering the share, for many amounts and rates', () => {
    const rates = [...pseudoRandom(40, 10_001n)].map(Number)
    for (const [i, amount] of [...pseudoRandom(40, uint64Max)].entries()) {
      const basisPoints = rates[i] ?? 0
      const share = sendingFeeFor(amount, fee(0n, basisPoints))
      expect(share * 10_000n >= amount * BigInt(basisPoints)).toBe(true)
      expect(share === 0n || (share - 1n) * 10_000n < amount * BigInt(basisPoints)).toBe(true)
    }
  })

  it('crashes on a negative amount or an invalid fee: those are bugs', () => {
    expect(() => sendingFeeFor(-1n, fee(0n, 0))).toThrow(/negative/)
    expect(() => sendingFeeFor(1n, fee(0n, 10_001))).toThrow(/invalid fee/)
  })
})

describe('amountBeforeFee', () => {
  // The definition, searched: the largest x with x + fee(x) <= total.
  const bruteForce = (total: bigint, amounts: FeeAmounts): bigint | undefined => {
    for (let x = total; x >= 0n; x -= 1n) {
      if (x + sendingFeeFor(x, amounts) <= total) return x
    }
    return undefined
  }

  it('matches the search for every small total and a spread of fees', () => {
    const fees = [
      fee(0n, 0),
      fee(0n, 1),
      fee(0n, 100),
      fee(3n, 100),
      fee(0n, 3_333),
      fee(1n, 5_000),
      fee(2n, 9_999),
      fee(0n, 10_000),
      fee(7n, 10_000),
    ]
    for (const amounts of fees) {
      for (let total = 0n; total <= 300n; total += 1n) {
        const expected = bruteForce(total, amounts)
        const actual = amountBeforeFee(total, amounts)
        const label = `total ${total}, fee ${amounts.fixed}+${amounts.basisPoints}bp`
        expect(actual, label).toEqual(
          expected === undefined
            ? { ok: false, error: 'fee_exceeds_total' }
            : { ok: true, value: expected },
        )
      }
    }
  })

  it.each([
    // total, fixed, basis points, amount before fee
    [550n, 0n, 1_000, 500n], // 500 + 50 = 550
    [551n, 0n, 1_000, 500n], // 501 would cost 501 + 51 = 552
    [552n, 0n, 1_000, 501n],
    [505n, 5n, 0, 500n],
    [5n, 5n, 100, 0n], // only the fixed part fits
    [4n, 5n, 0, undefined],
    [0n, 1n, 0, undefined],
    [1_000n, 0n, 10_000, 500n],
    [1_001n, 0n, 10_000, 500n],
  ])('%s with fixed %s and %i bp leaves %s', (total, fixed, basisPoints, expected) => {
    const result = amountBeforeFee(total, fee(fixed, basisPoints))
    if (expected === undefined) {
      expect(result).toEqual({ ok: false, error: 'fee_exceeds_total' })
    } else {
      expect(result).toEqual({ ok: true, value: expected })
    }
  })

  it('is the largest amount that fits, up to 64-bit totals', () => {
    const rates = [...pseudoRandom(40, 10_001n)].map(Number)
    const fixeds = [...pseudoRandom(40, 1_000_000n)]
    for (const [i, total] of [...pseudoRandom(40, uint64Max)].entries()) {
      const amounts = fee(fixeds[i] ?? 0n, rates[i] ?? 0)
      const result = amountBeforeFee(total, amounts)
      if (!result.ok) throw new Error(`no amount for ${total}`)
      const x = result.value
      expect(x + sendingFeeFor(x, amounts) <= total).toBe(true)
      expect(x + 1n + sendingFeeFor(x + 1n, amounts) > total).toBe(true)
    }
  })
})
