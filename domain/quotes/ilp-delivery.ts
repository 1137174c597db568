// What STREAM over ILP delivers: each packet of `a` source units must deliver at least
// floor(a × rate) at the quote's minimum rate, so a payment split into packets delivers the sum
// of those floors. Quotes promise that sum; payments refuse packets that would deliver less.
import { assert } from '../shared/assert.ts'
import { isUInt64 } from '../shared/uint64.ts'
import type { Ratio } from './quote.ts'

/** floor(amount × rate) */
export const deliveredAt = (amount: bigint, rate: Ratio): bigint =>
  (amount * rate.numerator) / rate.denominator

/** The least delivery of `sendAmount` sent in packets of at most `maxPacketAmount`. */
export function minDeliveryFor(sendAmount: bigint, maxPacketAmount: bigint, rate: Ratio): bigint {
  assert(maxPacketAmount > 0n, 'ilp delivery: maxPacketAmount > 0')
  const full = sendAmount / maxPacketAmount
  return full * deliveredAt(maxPacketAmount, rate) + deliveredAt(sendAmount % maxPacketAmount, rate)
}

/**
 * The least send amount whose minimum delivery reaches `receiveAmount`; undefined when no
 * 64-bit amount does (the rate delivers nothing, or too little).
 */
export function sendAmountFor(
  receiveAmount: bigint,
  maxPacketAmount: bigint,
  rate: Ratio,
): bigint | undefined {
  if (receiveAmount <= 0n) return 0n
  if (deliveredAt(maxPacketAmount, rate) === 0n) return undefined
  // minDeliveryFor is non-decreasing in the send amount: search the least one that suffices.
  let low = 0n
  let high = (receiveAmount * rate.denominator) / rate.numerator + 1n
  while (minDeliveryFor(high, maxPacketAmount, rate) < receiveAmount) high *= 2n
  while (low < high) {
    const middle = (low + high) / 2n
    if (minDeliveryFor(middle, maxPacketAmount, rate) >= receiveAmount) high = middle
    else low = middle + 1n
  }
  return isUInt64(low) ? low : undefined
}

/** rate × (1 − slippage), rounded down to a millionth of the slippage. */
export function lessSlippage(rate: Ratio, slippage: number): Ratio {
  assert(slippage >= 0 && slippage <= 1, 'ilp delivery: slippage in [0, 1]')
  const million = 1_000_000n
  const kept = million - BigInt(Math.round(slippage * 1_000_000))
  return reduce({ numerator: rate.numerator * kept, denominator: rate.denominator * million })
}

export function reduce(ratio: Ratio): Ratio {
  const divisor = gcd(ratio.numerator, ratio.denominator)
  return divisor <= 1n
    ? ratio
    : { numerator: ratio.numerator / divisor, denominator: ratio.denominator / divisor }
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b]
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}
