import type {
  OutgoingPayment,
  OutgoingPaymentState,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import type { SpentByAssets } from '../../domain/outgoing-payments/grant-limits.ts'
import type { Period } from '../../domain/outgoing-payments/repeating-interval.ts'
import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'

/** A FUNDING payment with nothing sent, for a quote the caller checked. */
export type NewOutgoingPayment = Pick<
  OutgoingPayment,
  | 'id'
  | 'walletAddressId'
  | 'receiver'
  | 'debitAmount'
  | 'receiveAmount'
  | 'grantId'
  | 'client'
  | 'metadata'
  | 'createdAt'
>

export type OutgoingPaymentFilter = {
  readonly walletAddressId?: string | undefined
  readonly receiver?: string | undefined
  /** Only these states; an empty list matches nothing, an absent one everything. */
  readonly states?: readonly OutgoingPaymentState[] | undefined
  readonly client?: string | undefined
}

export type UnknownOrWrongState = 'unknown_outgoing_payment' | 'wrong_state'

/**
 * Outgoing payments. Every state change is one conditional write; when it does not apply, a
 * follow-up read only classifies the error.
 */
export interface OutgoingPaymentRepository {
  /** quote_used when a payment of this quote (same id) exists. */
  create(payment: NewOutgoingPayment): Promise<Result<OutgoingPayment, 'quote_used'>>
  getById(id: string): Promise<OutgoingPayment | undefined>
  /** In (createdAt, id) order; unknown_cursor when the cursor is not a payment the filter keeps. */
  list(
    request: PageRequest,
    filter?: OutgoingPaymentFilter,
  ): Promise<Result<Page<OutgoingPayment>, 'unknown_cursor'>>
  /** FUNDING -> CANCELLED with the given metadata. */
  cancel(
    id: string,
    metadata: JsonObject | null,
    at: Date,
  ): Promise<Result<OutgoingPayment, UnknownOrWrongState>>
  /** FUNDING -> SENDING, due at once. */
  markSending(id: string, at: Date): Promise<Result<OutgoingPayment, UnknownOrWrongState>>
  /**
   * Leases the SENDING payment due soonest (process_at <= now, lease run out) until
   * now + leaseMs; rows other transactions hold are skipped. undefined when none is due.
   */
  claimNext(now: Date, leaseMs: number): Promise<OutgoingPayment | undefined>
  /** Extends the lease of a SENDING payment its worker is still sending. */
  renewLease(id: string, leaseUntil: Date): Promise<void>
  /** SENDING -> COMPLETED or FAILED (error given), with what was sent; ends the lease. */
  finish(
    id: string,
    outcome: { readonly state: 'COMPLETED' | 'FAILED'; readonly error: string | null },
    sent: bigint,
    at: Date,
  ): Promise<Result<OutgoingPayment, UnknownOrWrongState>>
  /** A SENDING payment's next attempt: counts it, records progress, ends the lease. */
  scheduleRetry(
    id: string,
    stateAttempts: number,
    processAt: Date,
    sent: bigint,
    at: Date,
  ): Promise<void>
  /**
   * Holds the grant until the transaction ends: another transaction's lockGrant of the same
   * grant waits. Only meaningful inside a unit of work.
   */
  lockGrant(grantId: string): Promise<void>
  /**
   * What the grant's payments (those created in `period`, or all) spent, summed per asset pair
   * as SpentByAssets says.
   */
  spentUnderGrant(grantId: string, period: Period | undefined): Promise<SpentByAssets[]>
  /**
   * Marks a LOCAL payment's receiver as credited: true for exactly one call per payment (inside
   * the transaction that credits the incoming payment).
   */
  markLocalCredited(id: string): Promise<boolean>
}
