import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Clock } from '../ports/clock.ts'
import type {
  ActionError,
  IncomingPaymentRepository,
} from '../ports/incoming-payment-repository.ts'

export type ApproveIncomingPaymentError = ActionError

export type ApproveIncomingPayment = (
  id: string,
) => Promise<Result<IncomingPayment, ApproveIncomingPaymentError>>

/**
 * Rafiki's approveIncomingPayment: sets approvedAt on a PENDING payment (else wrong_state);
 * already_actioned once cancelled; approving again changes nothing.
 */
export const makeApproveIncomingPayment =
  (deps: {
    readonly incomingPayments: IncomingPaymentRepository
    readonly clock: Clock
  }): ApproveIncomingPayment =>
  async (id) =>
    isUuid(id)
      ? deps.incomingPayments.approve(id, new Date(deps.clock.now()))
      : err('unknown_incoming_payment')
