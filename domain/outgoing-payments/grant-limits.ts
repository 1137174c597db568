// Outgoing-payment grant limits (Rafiki's validateGrantAndAddSpentAmountsToPayment): a payment
// under a grant must pay the grant's receiver, in the limits' assets, and keep what the grant
// spent (in the current interval, when it has one) within the debit and receive amounts.
import type { Amount } from '../incoming-payments/incoming-payment.ts'
import type { AccessLimits, LimitAmount } from '../open-payments/access.ts'
import { err, ok, type Result } from '../shared/result.ts'
import { repeatingIntervalAt, type Period } from './repeating-interval.ts'

export type LimitedPayment = {
  readonly receiver: string
  readonly debitAmount: Amount
  readonly receiveAmount: Amount
}

/**
 * What the grant's payments spent, one entry per asset pair. A FAILED or CANCELLED payment
 * counts what it sent, and the share of its receive amount that matches (rounded down); any
 * other counts its whole debit and receive amounts.
 */
export type SpentByAssets = {
  readonly debitAssetCode: string
  readonly debitAssetScale: number
  readonly receiveAssetCode: string
  readonly receiveAssetScale: number
  readonly debit: bigint
  readonly receive: bigint
}

export type GrantSpent = { readonly debit: bigint; readonly receive: bigint }

/** What to sum the grant's spending over: its payments created in `period`, or all of them. */
export type SpendingWindow = { readonly period: Period | undefined }

const sameAsset = (limit: LimitAmount, amount: Amount) =>
  limit.assetCode === amount.assetCode && limit.assetScale === amount.assetScale

export const hasAmountLimits = (limits: AccessLimits): boolean =>
  limits.debitAmount !== undefined || limits.receiveAmount !== undefined

/**
 * The checks that need no history: the receiver, the limits' assets, the payment alone within
 * the amounts, and (with an interval) an interval that contains `at`. On success, the window
 * whose spending counts against the limits.
 */
export function checkPaymentAgainstLimits(
  limits: AccessLimits,
  payment: LimitedPayment,
  at: Date,
): Result<SpendingWindow, 'insufficient_grant'> {
  const { debitAmount, receiveAmount } = limits
  if (limits.receiver !== undefined && limits.receiver !== payment.receiver) {
    return err('insufficient_grant')
  }
  if (debitAmount && !sameAsset(debitAmount, payment.debitAmount)) return err('insufficient_grant')
  if (receiveAmount && !sameAsset(receiveAmount, payment.receiveAmount)) {
    return err('insufficient_grant')
  }
  if (!withinLimits(limits, { debit: 0n, receive: 0n }, payment)) return err('insufficient_grant')
  if (limits.interval === undefined) return ok({ period: undefined })
  const period = repeatingIntervalAt(limits.interval, at)
  return period ? ok({ period }) : err('insufficient_grant')
}

/** True when `spent` plus the payment stays within each amount limit. */
export function withinLimits(
  limits: AccessLimits,
  spent: GrantSpent,
  payment: LimitedPayment,
): boolean {
  const { debitAmount, receiveAmount } = limits
  if (debitAmount && spent.debit + payment.debitAmount.value > debitAmount.value) return false
  return !(receiveAmount && spent.receive + payment.receiveAmount.value > receiveAmount.value)
}

export type GrantSpentAmounts = {
  readonly debit: Amount | null
  readonly receive: Amount | null
}

/**
 * The grant's spent amounts from its per-asset sums: null when nothing counts, and a receive
 * amount only when all its payments delivered one asset (amounts of several cannot be added).
 */
export function grantSpentAmounts(sums: readonly SpentByAssets[]): GrantSpentAmounts {
  const [first] = sums
  if (!first) return { debit: null, receive: null }
  const debitAssets = new Set(sums.map((s) => `${s.debitAssetCode}/${s.debitAssetScale}`))
  const receiveAssets = new Set(sums.map((s) => `${s.receiveAssetCode}/${s.receiveAssetScale}`))
  const total = (pick: (s: SpentByAssets) => bigint) => sums.reduce((sum, s) => sum + pick(s), 0n)
  return {
    debit:
      debitAssets.size === 1
        ? {
            value: total((s) => s.debit),
            assetCode: first.debitAssetCode,
            assetScale: first.debitAssetScale,
          }
        : null,
    receive:
      receiveAssets.size === 1
        ? {
            value: total((s) => s.receive),
            assetCode: first.receiveAssetCode,
            assetScale: first.receiveAssetScale,
          }
        : null,
  }
}

/**
 * What counts against the limits: debits in the debit limit's asset and deliveries in the
 * receive limit's (a payment in another asset could not have been made under these limits).
 */
export function spentAgainstLimits(
  limits: AccessLimits,
  sums: readonly SpentByAssets[],
): GrantSpent {
  let debit = 0n
  let receive = 0n
  for (const s of sums) {
    const { debitAmount, receiveAmount } = limits
    const debitAsset = { assetCode: s.debitAssetCode, assetScale: s.debitAssetScale, value: 0n }
    if (!debitAmount || sameAsset(debitAmount, debitAsset)) debit += s.debit
    const receiveAsset = {
      assetCode: s.receiveAssetCode,
      assetScale: s.receiveAssetScale,
      value: 0n,
    }
    if (!receiveAmount || sameAsset(receiveAmount, receiveAsset)) receive += s.receive
  }
  return { debit, receive }
}
