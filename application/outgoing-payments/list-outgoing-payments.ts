import {
  isOutgoingPaymentState,
  type OutgoingPayment,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { OutgoingPaymentRepository } from '../ports/outgoing-payment-repository.ts'

export type ListOutgoingPaymentsArgs = PageArgs & {
  /** Rafiki's filter: receiver (an incoming payment URL), walletAddressId, state.in. */
  readonly receiver?: string | null | undefined
  readonly walletAddressId?: string | null | undefined
  /** Unknown state names match nothing. */
  readonly states?: readonly string[] | null | undefined
  /** Open Payments `list`: only this client's. */
  readonly client?: string | undefined
}

/** States one filter may list (there are five). */
const statesMax = 10

export type ListOutgoingPaymentsError = PageError | 'filter_too_long'

export type ListOutgoingPayments = (
  args: ListOutgoingPaymentsArgs,
) => Promise<Result<Page<OutgoingPayment>, ListOutgoingPaymentsError>>

const empty: Page<OutgoingPayment> = { items: [], hasNextPage: false, hasPreviousPage: false }

export const makeListOutgoingPayments =
  (deps: { readonly outgoingPayments: OutgoingPaymentRepository }): ListOutgoingPayments =>
  async (args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    if ((args.states?.length ?? 0) > statesMax) return err('filter_too_long')
    const { walletAddressId, receiver } = args
    // Not a UUID: it names no wallet address, so nothing matches (and it must not reach SQL).
    if (walletAddressId != null && !isUuid(walletAddressId)) return ok(empty)
    const page = await deps.outgoingPayments.list(request.value, {
      ...(walletAddressId != null && { walletAddressId }),
      ...(receiver != null && { receiver }),
      ...(args.states != null && { states: args.states.filter(isOutgoingPaymentState) }),
      ...(args.client !== undefined && { client: args.client }),
    })
    return page.ok ? page : err('invalid_cursor')
  }
