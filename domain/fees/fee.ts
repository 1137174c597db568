import { assert } from '../shared/assert.ts'
import { err, ok, type Result } from '../shared/result.ts'
import { isUInt64 } from '../shared/uint64.ts'

/** SENDING is added to what the sender is debited; RECEIVING is Rafiki's receiver-side fee. */
export const feeTypes = ['SENDING', 'RECEIVING'] as const

export type FeeType = (typeof feeTypes)[number]

/** What a fee charges: a flat amount plus a share of the amount in basis points (1/10000). */
export type FeeAmounts = {
  readonly fixed: bigint
  readonly basisPoints: number
}

/** One row of an asset's fee history; the one set last per asset and type is in force. */
export type Fee = FeeAmounts & {
  readonly id: string
  readonly assetId: string
  readonly type: FeeType
  readonly createdAt: Date
}

export type FeeInputError = 'invalid_fixed_fee' | 'invalid_basis_points'

export type AmountBeforeFeeError = 'fee_exceeds_total'

export const basisPointsMax = 10_000

const basisPointsPerUnit = BigInt(basisPointsMax)

const types: ReadonlySet<string> = new Set(feeTypes)

export const isFeeType = (value: string): value is FeeType => types.has(value)

/** fixed: unsigned 64 bits; basisPoints: a whole number from 0 to 10000 (100%). */
export function validateFeeAmounts(amounts: FeeAmounts): Result<FeeAmounts, FeeInputError> {
  const { fixed, basisPoints } = amounts
  if (!isUInt64(fixed)) return err('invalid_fixed_fee')
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > basisPointsMax) {
    return err('invalid_basis_points')
  }
  return ok({ fixed, basisPoints })
}

/**
 * ceil(amount x basisPoints / 10000) + fixed, exactly: the share is rounded up, towards the
 * sender (ARCHITECTURE.md section 3). The result may exceed 64 bits; the caller bounds it.
 */
export function sendingFeeFor(amount: bigint, fee: FeeAmounts): bigint {
  assertAmounts(amount, fee)
  const share = amount * BigInt(fee.basisPoints)
  return (share + basisPointsPerUnit - 1n) / basisPointsPerUnit + fee.fixed
}

/**
 * The largest x >= 0 with x + sendingFeeFor(x, fee) <= total: what a total (a fixed debit) leaves
 * to send once the fee is taken. fee_exceeds_total when not even 0 fits (total < fixed).
 */
export function amountBeforeFee(
  total: bigint,
  fee: FeeAmounts,
): Result<bigint, AmountBeforeFeeError> {
  assertAmounts(total, fee)
  const afterFixed = total - fee.fixed
  if (afterFixed < 0n) return err('fee_exceeds_total')
  // For whole x, x + ceil(x*b/D) = ceil(x*(D+b)/D), which is <= T exactly when x*(D+b) <= T*D.
  const withShare = basisPointsPerUnit + BigInt(fee.basisPoints)
  return ok((afterFixed * basisPointsPerUnit) / withShare)
}

function assertAmounts(amount: bigint, fee: FeeAmounts): void {
  assert(amount >= 0n, `fee math: amount ${amount} is negative`)
  assert(validateFeeAmounts(fee).ok, `fee math: invalid fee ${fee.fixed}/${fee.basisPoints}`)
}
