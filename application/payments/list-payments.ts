import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { isPaymentType, type Payment } from '../../domain/payments/payment.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { PaymentRepository } from '../ports/payment-repository.ts'

export type ListPaymentsArgs = PageArgs & {
  /** Rafiki's `filter.type.in`: INCOMING and/or OUTGOING; unknown names match nothing. */
  readonly types?: readonly string[] | null | undefined
  /** Rafiki's `filter.walletAddressId.in`; ids that are not UUIDs match nothing. */
  readonly walletAddressIds?: readonly string[] | null | undefined
}

export type ListPaymentsError = PageError | 'filter_too_long'

/** Values one `in` filter may list: each is a bound parameter of one query. */
export const paymentFilterValuesMax = 100

/** The admin `payments` list: incoming and outgoing payments in one (createdAt, id) order. */
export type ListPayments = (
  args: ListPaymentsArgs,
) => Promise<Result<Page<Payment>, ListPaymentsError>>

export const makeListPayments =
  (deps: { readonly payments: PaymentRepository }): ListPayments =>
  async (args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    const { types, walletAddressIds } = args
    if ((types?.length ?? 0) > paymentFilterValuesMax) return err('filter_too_long')
    if ((walletAddressIds?.length ?? 0) > paymentFilterValuesMax) return err('filter_too_long')
    const filter = {
      ...(types != null && { types: types.filter(isPaymentType) }),
      ...(walletAddressIds != null && { walletAddressIds: walletAddressIds.filter(isUuid) }),
    }
    const page = await deps.payments.list(request.value, filter)
    return page.ok ? page : err('invalid_cursor')
  }
