import { describe, expect, it } from 'vitest'
import { deliveredAt, lessSlippage, minDeliveryFor, reduce, sendAmountFor } from './ilp-delivery.ts'

const r = (numerator: bigint, denominator: bigint) => ({ numerator, denominator })

describe('ILP delivery math', () => {
  it('rounds each packet down and sums the packets', () => {
    expect(deliveredAt(100n, r(91n, 100n))).toBe(91n)
    expect(deliveredAt(99n, r(91n, 100n))).toBe(90n)
    // 250 in packets of 100: 91 + 91 + floor(50 × 0.91) = 45.
    expect(minDeliveryFor(250n, 100n, r(91n, 100n))).toBe(227n)
    expect(minDeliveryFor(250n, 1_000n, r(91n, 100n))).toBe(227n)
    expect(minDeliveryFor(3n, 1n, r(1n, 2n))).toBe(0n)
  })

  it('finds the least send amount that delivers a receive amount', () => {
    for (const [receive, max, rate] of [
      [500n, 10n ** 12n, r(91n, 100n)],
      [500n, 7n, r(91n, 100n)],
      [1n, 3n, r(1n, 2n)],
      [12_345n, 100n, r(3n, 7n)],
    ] as const) {
      const send = sendAmountFor(receive, max, rate)
      expect(send).toBeDefined()
      expect(minDeliveryFor(send!, max, rate)).toBeGreaterThanOrEqual(receive)
      expect(minDeliveryFor(send! - 1n, max, rate)).toBeLessThan(receive)
    }
    // 500 EUR at 0.91 cost 550 USD: 549 delivers 499.
    expect(sendAmountFor(500n, 10n ** 12n, r(91n, 100n))).toBe(550n)
    // Packets of 1 at 0.5 deliver nothing, whatever their number.
    expect(sendAmountFor(1n, 1n, r(1n, 2n))).toBeUndefined()
    expect(sendAmountFor(0n, 1n, r(1n, 2n))).toBe(0n)
  })

  it('takes slippage off a rate, exactly', () => {
    expect(lessSlippage(r(91n, 100n), 0.01)).toEqual(reduce(r(9009n, 10_000n)))
    expect(lessSlippage(r(1n, 1n), 0)).toEqual(r(1n, 1n))
    expect(lessSlippage(r(5n, 1n), 1)).toEqual(r(0n, 1n))
    expect(reduce(r(6n, 4n))).toEqual(r(3n, 2n))
  })
})
