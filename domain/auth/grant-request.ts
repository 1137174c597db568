// A GNAP grant request's access items, checked against the Open Payments rules (COMPAT.md,
// "Authorization server"), and the choice between an interactive and a non-interactive grant.
import {
  actionsByType,
  type AccessAction,
  type AccessItem,
  type LimitAmount,
} from '../open-payments/access.ts'
import { isRepeatingInterval } from '../outgoing-payments/repeating-interval.ts'
import { isUInt64 } from '../shared/uint64.ts'
import { err, ok, type Result } from '../shared/result.ts'

/** Bound on the items one request may carry. */
export const accessItemsMax = 16

export type AccessItemError =
  | 'no_access'
  | 'too_many_access_items'
  | 'unknown_action'
  | 'duplicate_action'
  | 'identifier_required'
  | 'limits_not_allowed'
  | 'both_amount_limits'
  | 'invalid_limit_amount'
  | 'invalid_interval'

/** Checks the items already parsed to their types at the HTTP edge; the error names the rule. */
export function validateAccessItems(
  items: readonly AccessItem[],
): Result<readonly AccessItem[], AccessItemError> {
  if (items.length === 0) return err('no_access')
  if (items.length > accessItemsMax) return err('too_many_access_items')
  for (const item of items) {
    const checked = validateItem(item)
    if (!checked.ok) return checked
  }
  return ok(items)
}

function validateItem(item: AccessItem): Result<AccessItem, AccessItemError> {
  const allowed: readonly AccessAction[] = actionsByType[item.type]
  if (item.actions.length === 0) return err('unknown_action')
  if (!item.actions.every((action) => allowed.includes(action))) return err('unknown_action')
  if (new Set(item.actions).size !== item.actions.length) return err('duplicate_action')
  if (item.type !== 'outgoing-payment') {
    return item.limits === undefined ? ok(item) : err('limits_not_allowed')
  }
  if (item.identifier === undefined) return err('identifier_required')
  const limits = item.limits
  if (limits === undefined) return ok(item)
  if (limits.debitAmount && limits.receiveAmount) return err('both_amount_limits')
  const amount = limits.debitAmount ?? limits.receiveAmount
  if (amount && !isLimitAmount(amount)) return err('invalid_limit_amount')
  if (limits.interval !== undefined && !isRepeatingInterval(limits.interval)) {
    return err('invalid_interval')
  }
  return ok(item)
}

const isLimitAmount = (amount: LimitAmount): boolean =>
  amount.value > 0n &&
  isUInt64(amount.value) &&
  Number.isInteger(amount.assetScale) &&
  amount.assetScale >= 0 &&
  amount.assetScale <= 255 &&
  amount.assetCode.length > 0

/** The *_INTERACTION settings. */
export type InteractionPolicy = {
  readonly incomingPaymentInteraction: boolean
  readonly quoteInteraction: boolean
  readonly listAllAccessInteraction: boolean
}

/**
 * Rafiki's rule: outgoing-payment access always needs the user; incoming-payment and quote access
 * need them when their flag says so; list-all access when LIST_ALL_ACCESS_INTERACTION says so.
 */
export function needsInteraction(items: readonly AccessItem[], policy: InteractionPolicy): boolean {
  return items.some((item) => {
    if (item.type === 'outgoing-payment') return true
    if (item.type === 'incoming-payment' && policy.incomingPaymentInteraction) return true
    if (item.type === 'quote' && policy.quoteInteraction) return true
    return policy.listAllAccessInteraction && item.actions.includes('list-all')
  })
}
