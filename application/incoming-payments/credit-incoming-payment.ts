import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUInt64 } from '../../domain/shared/uint64.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { AddReceivedError } from '../ports/incoming-payment-repository.ts'
import type { UnitOfWork } from '../ports/unit-of-work.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'
import { stageSettledPaymentEvent } from './stage-settled-payment-event.ts'

export type CreditIncomingPaymentError = AddReceivedError | 'invalid_amount'

export type CreditIncomingPaymentResult = {
  readonly payment: IncomingPayment
  /** True for the one credit that completed the payment. */
  readonly completed: boolean
}

/**
 * Records `amount` received (the connector calls this once the money is in the payment's
 * INCOMING account). wrong_state once the payment is COMPLETED, EXPIRED or past expiresAt;
 * exceeds_incoming_amount (nothing recorded) when it would take received above incomingAmount.
 */
export type CreditIncomingPayment = (
  id: string,
  amount: bigint,
) => Promise<Result<CreditIncomingPaymentResult, CreditIncomingPaymentError>>

export type CreditIncomingPaymentDeps = {
  readonly unitOfWork: UnitOfWork
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
}

/** Emits `incoming_payment.completed` exactly once, from the credit that reaches the amount. */
export const makeCreditIncomingPayment = (
  deps: CreditIncomingPaymentDeps,
): CreditIncomingPayment => {
  const stage = makeStageWebhookEvent(deps)
  return async (id, amount) => {
    if (amount <= 0n || !isUInt64(amount)) return err('invalid_amount')
    if (!isUuid(id)) return err('unknown_incoming_payment')
    const at = new Date(deps.clock.now())
    const credited = await deps.unitOfWork.run(async (repositories) => {
      const result = await repositories.incomingPayments.addReceived(id, amount, at, {
        upToIncomingAmount: true,
      })
      if (result.ok && result.value.completedNow) {
        const { payment } = result.value
        await stageSettledPaymentEvent(stage, repositories, 'incoming_payment.completed', payment)
      }
      return result
    })
    if (!credited.ok) return credited
    if (credited.value.completedNow) wakeWebhookWorkers(deps.signal)
    return ok({ payment: credited.value.payment, completed: credited.value.completedNow })
  }
}
