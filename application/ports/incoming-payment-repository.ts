import type { Amount, IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'

export type NewIncomingPayment = {
  readonly id: string
  readonly walletAddressId: string
  readonly client: string | null
  /** Already validated (validateIncomingAmount). */
  readonly incomingAmount: Amount | null
  /** The asset received amounts are counted in (the wallet address's). */
  readonly assetCode: string
  readonly assetScale: number
  readonly expiresAt: Date
  readonly metadata: JsonObject | null
  readonly createdAt: Date
}

export type UnknownOrWrongState = 'unknown_incoming_payment' | 'wrong_state'

/** approve/cancel: already_actioned when the other of the two was done first. */
export type ActionError = UnknownOrWrongState | 'already_actioned'

export type AddReceivedOptions = {
  /** Refuse what would take received above incomingAmount (STREAM money; local payments are sized to fit). */
  readonly upToIncomingAmount?: boolean
}

export type AddReceivedError = UnknownOrWrongState | 'exceeds_incoming_amount'

export type ReceivedUpdate = {
  readonly payment: IncomingPayment
  /** True for exactly one addReceived call per payment: the one that completed it. */
  readonly completedNow: boolean
}

/**
 * Incoming payments. Every state change is one conditional write (never read-then-write): when
 * it does not apply, a follow-up read only classifies the error.
 */
export interface IncomingPaymentRepository {
  /** New payments are PENDING with nothing received. */
  create(payment: NewIncomingPayment): Promise<IncomingPayment>
  getById(id: string): Promise<IncomingPayment | undefined>
  /**
   * In (createdAt, id) order; only `client`'s when given. unknown_cursor when the cursor is not
   * one of the listed payments.
   */
  listByWalletAddress(
    walletAddressId: string,
    request: PageRequest,
    client?: string,
  ): Promise<Result<Page<IncomingPayment>, 'unknown_cursor'>>
  updateMetadata(
    id: string,
    metadata: JsonObject | null,
    at: Date,
  ): Promise<IncomingPayment | undefined>
  /**
   * Adds `amount` to received if the payment is active and not past expiresAt at `at`: PENDING
   * becomes PROCESSING, and COMPLETED once received reaches incomingAmount. wrong_state when it
   * is COMPLETED, EXPIRED or past its expiry; with `upToIncomingAmount`, exceeds_incoming_amount
   * (nothing added) when the amount would take received above incomingAmount.
   */
  addReceived(
    id: string,
    amount: bigint,
    at: Date,
    options?: AddReceivedOptions,
  ): Promise<Result<ReceivedUpdate, AddReceivedError>>
  /** PENDING|PROCESSING -> COMPLETED (Open Payments `complete`). */
  complete(id: string, at: Date): Promise<Result<IncomingPayment, UnknownOrWrongState>>
  /**
   * Rafiki's approve: sets approvedAt on a PENDING payment (wrong_state otherwise);
   * already_actioned when it was cancelled; approving twice keeps the first approvedAt.
   */
  approve(id: string, at: Date): Promise<Result<IncomingPayment, ActionError>>
  /**
   * Rafiki's cancel: sets cancelledAt on a PENDING payment (wrong_state otherwise), the state
   * stays; already_actioned when it was approved; cancelling twice keeps the first cancelledAt.
   */
  cancel(id: string, at: Date): Promise<Result<IncomingPayment, ActionError>>
  /**
   * Moves expiresAt of the wallet address's active payments forward to `latest` where it is
   * later (wallet address deactivation); returns how many changed.
   */
  capExpiry(walletAddressId: string, latest: Date, at: Date): Promise<number>
  /**
   * Expires up to `limit` active payments whose expiresAt <= now and returns them, EXPIRED. Rows
   * another transaction holds are skipped (FOR UPDATE SKIP LOCKED), so workers never collide.
   */
  expireDue(now: Date, limit: number): Promise<readonly IncomingPayment[]>
}
