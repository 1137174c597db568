import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Clock } from '../ports/clock.ts'
import type {
  ActionError,
  IncomingPaymentRepository,
} from '../ports/incoming-payment-repository.ts'

export type CancelIncomingPaymentError = ActionError

export type CancelIncomingPayment = (
  id: string,
) => Promise<Result<IncomingPayment, CancelIncomingPaymentError>>

/**
 * Rafiki's cancelIncomingPayment: sets cancelledAt on a PENDING payment (else wrong_state),
 * leaving its state as it is; already_actioned once approved; cancelling again changes nothing.
 */
export const makeCancelIncomingPayment =
  (deps: {
    readonly incomingPayments: IncomingPaymentRepository
    readonly clock: Clock
  }): CancelIncomingPayment =>
  async (id) =>
    isUuid(id)
      ? deps.incomingPayments.cancel(id, new Date(deps.clock.now()))
      : err('unknown_incoming_payment')
