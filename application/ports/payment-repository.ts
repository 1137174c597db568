import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Payment, PaymentType } from '../../domain/payments/payment.ts'
import type { Result } from '../../domain/shared/result.ts'

export type PaymentFilter = {
  /** Only these types; an empty list matches nothing, an absent one everything. */
  readonly types?: readonly PaymentType[] | undefined
  /** Only these wallet addresses' payments; empty matches nothing, absent everything. */
  readonly walletAddressIds?: readonly string[] | undefined
}

/**
 * Incoming and outgoing payments together, for the admin `payments` list: one (createdAt, id)
 * order across both kinds (a SQL adapter pages over a UNION ALL of the two tables).
 */
export interface PaymentRepository {
  /** unknown_cursor when the cursor is not a payment the filter keeps. */
  list(
    request: PageRequest,
    filter?: PaymentFilter,
  ): Promise<Result<Page<Payment>, 'unknown_cursor'>>
}
