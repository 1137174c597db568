import {
  cancelledMetadata,
  type OutgoingPayment,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Clock } from '../ports/clock.ts'
import type {
  OutgoingPaymentRepository,
  UnknownOrWrongState,
} from '../ports/outgoing-payment-repository.ts'

export type CancelOutgoingPaymentInput = {
  readonly id: string
  readonly reason?: string | null | undefined
}

export type CancelOutgoingPayment = (
  input: CancelOutgoingPaymentInput,
) => Promise<Result<OutgoingPayment, UnknownOrWrongState>>

/**
 * Rafiki's cancel: only a FUNDING payment (nothing deposited yet); the reason is kept in its
 * metadata as `cancellationReason`. The metadata is read first, but the write only applies to a
 * payment still FUNDING, and nothing else changes a FUNDING payment's metadata.
 */
export const makeCancelOutgoingPayment =
  (deps: {
    readonly outgoingPayments: OutgoingPaymentRepository
    readonly clock: Clock
  }): CancelOutgoingPayment =>
  async (input) => {
    const payment = isUuid(input.id) ? await deps.outgoingPayments.getById(input.id) : undefined
    if (!payment) return err('unknown_outgoing_payment')
    if (payment.state !== 'FUNDING') return err('wrong_state')
    const metadata = cancelledMetadata(payment.metadata, input.reason)
    return deps.outgoingPayments.cancel(payment.id, metadata, new Date(deps.clock.now()))
  }
