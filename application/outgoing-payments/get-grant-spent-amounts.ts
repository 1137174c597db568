import type { AccessLimits } from '../../domain/open-payments/access.ts'
import {
  grantSpentAmounts,
  type GrantSpentAmounts,
} from '../../domain/outgoing-payments/grant-limits.ts'
import { repeatingIntervalAt } from '../../domain/outgoing-payments/repeating-interval.ts'
import type { Clock } from '../ports/clock.ts'
import type { OutgoingPaymentRepository } from '../ports/outgoing-payment-repository.ts'

export type GetGrantSpentAmountsInput = {
  readonly grantId: string
  /** The limits of the grant's outgoing-payment access; an interval narrows what counts. */
  readonly limits?: AccessLimits | undefined
}

export type GetGrantSpentAmounts = (input: GetGrantSpentAmountsInput) => Promise<GrantSpentAmounts>

/**
 * What the grant's payments spent: in the interval that contains now when the grant has one
 * (nothing outside every interval), else in total. Null amounts: nothing counts.
 */
export const makeGetGrantSpentAmounts =
  (deps: {
    readonly outgoingPayments: OutgoingPaymentRepository
    readonly clock: Clock
  }): GetGrantSpentAmounts =>
  async ({ grantId, limits }) => {
    const interval = limits?.interval
    const period =
      interval === undefined ? undefined : repeatingIntervalAt(interval, new Date(deps.clock.now()))
    if (interval !== undefined && period === undefined) return { debit: null, receive: null }
    return grantSpentAmounts(await deps.outgoingPayments.spentUnderGrant(grantId, period))
  }
