// The amounts of a LOCAL quote (Rafiki's payment-method/local getQuote plus the quote service's
// fee rules), exactly: bigint amounts, the rate as a decimal, rounding towards the sender.
import { amountBeforeFee, sendingFeeFor, type FeeAmounts } from '../fees/fee.ts'
import { convertDestination, convertSource, type ConversionAsset } from '../rates/convert-amount.ts'
import type { ExchangeRate } from '../rates/exchange-rate.ts'
import { assert } from '../shared/assert.ts'
import { err, ok, type Result } from '../shared/result.ts'
import { isUInt64 } from '../shared/uint64.ts'

/** What is fixed: the total debited (fixed-send) or what the receiver gets (fixed-receive). */
export type QuoteTarget =
  | {
      readonly type: 'fixed_send'
      readonly debitAmount: bigint
      /** What the receiver still takes (incomingAmount less received); null: open-ended. */
      readonly receiveMax: bigint | null
    }
  | { readonly type: 'fixed_receive'; readonly receiveAmount: bigint }

export type QuoteAmountsInput = {
  readonly debitAsset: ConversionAsset
  readonly receiveAsset: ConversionAsset
  /** debitAsset.code -> receiveAsset.code; never zero (a zero rate is a missing one). */
  readonly rate: ExchangeRate
  /** The SENDING fee of the debit asset; undefined: none. */
  readonly fee: FeeAmounts | undefined
  readonly target: QuoteTarget
}

export type QuoteAmounts = {
  readonly debitAmount: bigint
  readonly debitAmountMinusFees: bigint
  readonly receiveAmount: bigint
  readonly estimatedExchangeRate: number
}

export type QuoteAmountsError =
  /**
   * The debit delivers nothing once the fee is taken and the rate applied. minSendAmount: the
   * least debit that delivers one unit; absent when even that is beyond 64 bits.
   */
  | { readonly type: 'non_positive_receive_amount'; readonly minSendAmount?: bigint }
  /** Delivers more than the receiver takes, or an amount beyond 64 bits. */
  | { readonly type: 'invalid_amount' }

const noFee: FeeAmounts = { fixed: 0n, basisPoints: 0 }

/** Receive units per debit unit with the scales applied (Rafiki's scaledExchangeRate). */
export const scaledRate = (
  rate: ExchangeRate,
  debitAsset: ConversionAsset,
  receiveAsset: ConversionAsset,
): number => rate.value * 10 ** (receiveAsset.scale - debitAsset.scale)

/**
 * Fixed-send: the fee (on what is sent on) comes out of the debit, the rest converts rounding
 * down. Fixed-receive: the receive amount costs its conversion rounded up, plus the fee on that.
 */
export function quoteAmounts(input: QuoteAmountsInput): Result<QuoteAmounts, QuoteAmountsError> {
  assert(input.rate.mantissa > 0n, 'quote amounts: the rate must be positive')
  return input.target.type === 'fixed_send'
    ? fixedSend(input, input.target.debitAmount, input.target.receiveMax)
    : fixedReceive(input, input.target.receiveAmount)
}

function fixedSend(
  input: QuoteAmountsInput,
  debitAmount: bigint,
  receiveMax: bigint | null,
): Result<QuoteAmounts, QuoteAmountsError> {
  assert(debitAmount > 0n && isUInt64(debitAmount), 'quote amounts: debit out of range')
  const fee = input.fee ?? noFee
  const principal = amountBeforeFee(debitAmount, fee)
  const sent = principal.ok ? principal.value : 0n
  const received = convertSource(
    { sourceAmount: sent, sourceAsset: input.debitAsset, destinationAsset: input.receiveAsset },
    input.rate,
  )
  if (!received.ok) return err({ type: 'invalid_amount' })
  if (received.value === 0n) {
    return err({ type: 'non_positive_receive_amount', ...minSendAmount(input, fee) })
  }
  if (receiveMax !== null && received.value > receiveMax) return err({ type: 'invalid_amount' })
  return ok({
    debitAmount,
    debitAmountMinusFees: sent,
    receiveAmount: received.value,
    estimatedExchangeRate: scaledRate(input.rate, input.debitAsset, input.receiveAsset),
  })
}

function fixedReceive(
  input: QuoteAmountsInput,
  receiveAmount: bigint,
): Result<QuoteAmounts, QuoteAmountsError> {
  assert(receiveAmount > 0n && isUInt64(receiveAmount), 'quote amounts: receive out of range')
  const sent = convertDestination(
    {
      destinationAmount: receiveAmount,
      sourceAsset: input.debitAsset,
      destinationAsset: input.receiveAsset,
    },
    input.rate,
  )
  if (!sent.ok) return err({ type: 'invalid_amount' })
  const debitAmount = sent.value + sendingFeeFor(sent.value, input.fee ?? noFee)
  if (!isUInt64(debitAmount)) return err({ type: 'invalid_amount' })
  return ok({
    debitAmount,
    debitAmountMinusFees: sent.value,
    receiveAmount,
    estimatedExchangeRate: scaledRate(input.rate, input.debitAsset, input.receiveAsset),
  })
}

/**
 * The least debit D that delivers one unit: the least x that converts to 1, plus the fee on x
 * (amountBeforeFee(D) >= x exactly when D >= x + sendingFeeFor(x)).
 */
function minSendAmount(
  input: QuoteAmountsInput,
  fee: FeeAmounts,
): { readonly minSendAmount?: bigint } {
  const one = convertDestination(
    { destinationAmount: 1n, sourceAsset: input.debitAsset, destinationAsset: input.receiveAsset },
    input.rate,
  )
  if (!one.ok) return {}
  const total = one.value + sendingFeeFor(one.value, fee)
  return isUInt64(total) ? { minSendAmount: total } : {}
}
