import { describe, expect, it } from 'vitest'
import { amountBeforeFee, sendingFeeFor } from '../fees/fee.ts'
import { convertSource } from '../rates/convert-amount.ts'
import { parseExchangeRate, unitRate, type ExchangeRate } from '../rates/exchange-rate.ts'
import { uint64Max } from '../shared/uint64.ts'
import { quoteAmounts, type QuoteAmountsInput } from './quote-amounts.ts'

const usd = { code: 'USD', scale: 2 }
const eur = { code: 'EUR', scale: 2 }

const rate = (value: number): ExchangeRate => {
  const parsed = parseExchangeRate(value)
  if (!parsed.ok) throw new Error(`bad rate ${value}`)
  return parsed.value
}

const base: Omit<QuoteAmountsInput, 'target'> = {
  debitAsset: usd,
  receiveAsset: usd,
  rate: unitRate,
  fee: undefined,
}

const fixedSend = (debitAmount: bigint, extra: Partial<QuoteAmountsInput> = {}) =>
  quoteAmounts({
    ...base,
    ...extra,
    target: { type: 'fixed_send', debitAmount, receiveMax: null },
  })

const fixedReceive = (receiveAmount: bigint, extra: Partial<QuoteAmountsInput> = {}) =>
  quoteAmounts({ ...base, ...extra, target: { type: 'fixed_receive', receiveAmount } })

describe('quoteAmounts', () => {
  it('same asset, no fee: what is debited is received', () => {
    expect(fixedSend(500n)).toEqual({
      ok: true,
      value: {
        debitAmount: 500n,
        debitAmountMinusFees: 500n,
        receiveAmount: 500n,
        estimatedExchangeRate: 1,
      },
    })
    expect(fixedReceive(500n)).toEqual(fixedSend(500n))
  })

  it('USD->EUR 0.91: 500 EUR to receive costs 550 USD, and 550 USD delivers exactly 500 EUR', () => {
    const cross = { receiveAsset: eur, rate: rate(0.91) }
    const quoted = fixedReceive(500n, cross)
    expect(quoted).toEqual({
      ok: true,
      value: {
        debitAmount: 550n,
        debitAmountMinusFees: 550n,
        receiveAmount: 500n,
        estimatedExchangeRate: 0.91,
      },
    })
    // 549 would deliver 499.59 -> 499: 550 is the least debit that delivers 500.
    expect(
      convertSource({ sourceAmount: 549n, sourceAsset: usd, destinationAsset: eur }, rate(0.91)),
    ).toEqual({ ok: true, value: 499n })
    expect(fixedSend(550n, cross)).toMatchObject({ ok: true, value: { receiveAmount: 500n } })
    // Fixed-send rounds the receive amount down: 500 USD -> 455 EUR; 1 USD -> 0.91 -> 0.
    expect(fixedSend(500n, cross)).toMatchObject({ ok: true, value: { receiveAmount: 455n } })
  })

  it('fixed-receive adds the fee (fixed + basis points rounded up) on what is sent on', () => {
    const fee = { fixed: 10n, basisPoints: 100 }
    // 550 sent on; fee = ceil(5.5) + 10 = 16.
    expect(fixedReceive(500n, { receiveAsset: eur, rate: rate(0.91), fee })).toMatchObject({
      ok: true,
      value: { debitAmount: 566n, debitAmountMinusFees: 550n, receiveAmount: 500n },
    })
    // basis points alone: ceil(1001 * 0.0001) = 1.
    expect(fixedReceive(1001n, { fee: { fixed: 0n, basisPoints: 1 } })).toMatchObject({
      ok: true,
      value: { debitAmount: 1002n, debitAmountMinusFees: 1001n },
    })
  })

  it('fixed-send takes the fee out of the debit, and the two modes agree', () => {
    const fee = { fixed: 10n, basisPoints: 100 }
    const sent = fixedSend(566n, { receiveAsset: eur, rate: rate(0.91), fee })
    expect(sent).toEqual({
      ok: true,
      value: {
        debitAmount: 566n,
        debitAmountMinusFees: 550n,
        receiveAmount: 500n,
        estimatedExchangeRate: 0.91,
      },
    })
    // One unit less and the fee leaves 549 to send on: 499 EUR.
    expect(fixedSend(565n, { receiveAsset: eur, rate: rate(0.91), fee })).toMatchObject({
      ok: true,
      value: { debitAmount: 565n, debitAmountMinusFees: 549n, receiveAmount: 499n },
    })
  })

  it.each([
    [1n, { fixed: 0n, basisPoints: 0 }],
    [137n, { fixed: 3n, basisPoints: 250 }],
    [10_000n, { fixed: 0n, basisPoints: 10_000 }],
    [99_999n, { fixed: 7n, basisPoints: 1 }],
  ])('fixed-send of %s with fee %o never debits less than sent on plus its fee', (debit, fee) => {
    const quoted = fixedSend(debit, { fee })
    if (!quoted.ok) throw new Error('expected a quote')
    const { debitAmountMinusFees } = quoted.value
    expect(debitAmountMinusFees + sendingFeeFor(debitAmountMinusFees, fee)).toBeLessThanOrEqual(
      debit,
    )
    expect(debitAmountMinusFees).toBe((amountBeforeFee(debit, fee) as { value: bigint }).value)
  })

  it('refuses a debit that delivers nothing, with the least debit that delivers one unit', () => {
    // 1 USD cent -> 0.91 EUR cent -> 0; 2 cents deliver 1.
    expect(fixedSend(1n, { receiveAsset: eur, rate: rate(0.91) })).toEqual({
      ok: false,
      error: { type: 'non_positive_receive_amount', minSendAmount: 2n },
    })
    expect(fixedSend(2n, { receiveAsset: eur, rate: rate(0.91) })).toMatchObject({
      ok: true,
      value: { receiveAmount: 1n },
    })
    // The fee eats all of it: minSendAmount = 1 + ceil(1 * 0.01) + 10 = 12.
    const fee = { fixed: 10n, basisPoints: 100 }
    expect(fixedSend(10n, { fee })).toEqual({
      ok: false,
      error: { type: 'non_positive_receive_amount', minSendAmount: 12n },
    })
    expect(fixedSend(11n, { fee })).toMatchObject({ ok: false })
    expect(fixedSend(12n, { fee })).toMatchObject({ ok: true, value: { receiveAmount: 1n } })
  })

  it('converts across scales exactly', () => {
    // USD scale 2 -> JPY scale 0 at 150: 1 cent = 1.5 yen -> 1; 100 yen cost ceil(66.67) cents.
    const jpy = { code: 'JPY', scale: 0 }
    expect(fixedSend(1n, { receiveAsset: jpy, rate: rate(150) })).toMatchObject({
      ok: true,
      value: { receiveAmount: 1n, estimatedExchangeRate: 1.5 },
    })
    expect(fixedReceive(100n, { receiveAsset: jpy, rate: rate(150) })).toMatchObject({
      ok: true,
      value: { debitAmount: 67n },
    })
    // A rate too small for one unit: minSendAmount is where it first delivers one.
    expect(fixedSend(99n, { receiveAsset: eur, rate: rate(0.01) })).toEqual({
      ok: false,
      error: { type: 'non_positive_receive_amount', minSendAmount: 100n },
    })
  })

  it('refuses a fixed-send that delivers more than the receiver still takes', () => {
    const quote = (receiveMax: bigint) =>
      quoteAmounts({ ...base, target: { type: 'fixed_send', debitAmount: 500n, receiveMax } })
    expect(quote(499n)).toEqual({ ok: false, error: { type: 'invalid_amount' } })
    expect(quote(500n)).toMatchObject({ ok: true, value: { receiveAmount: 500n } })
  })

  it('refuses amounts beyond 64 bits and leaves out an unreachable minSendAmount', () => {
    expect(fixedReceive(uint64Max, { fee: { fixed: 1n, basisPoints: 0 } })).toEqual({
      ok: false,
      error: { type: 'invalid_amount' },
    })
    expect(fixedReceive(uint64Max)).toMatchObject({ ok: true, value: { debitAmount: uint64Max } })
    expect(fixedSend(uint64Max, { receiveAsset: eur, rate: rate(2) })).toEqual({
      ok: false,
      error: { type: 'invalid_amount' },
    })
    const tiny = { receiveAsset: eur, rate: rate(1e-30) }
    expect(fixedSend(5n, tiny)).toEqual({
      ok: false,
      error: { type: 'non_positive_receive_amount' },
    })
  })
})
