import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { UnknownOrWrongState } from '../ports/incoming-payment-repository.ts'
import type { UnitOfWork } from '../ports/unit-of-work.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'
import { stageSettledPaymentEvent } from './stage-settled-payment-event.ts'

export type CompleteIncomingPaymentError = UnknownOrWrongState

export type CompleteIncomingPayment = (
  id: string,
) => Promise<Result<IncomingPayment, CompleteIncomingPaymentError>>

export type CompleteIncomingPaymentDeps = {
  readonly unitOfWork: UnitOfWork
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
}

/**
 * Open Payments `complete`: PENDING|PROCESSING -> COMPLETED. Like Rafiki, the
 * `incoming_payment.completed` event (which asks the ASE to withdraw) is only sent when
 * something was received.
 */
export const makeCompleteIncomingPayment = (
  deps: CompleteIncomingPaymentDeps,
): CompleteIncomingPayment => {
  const stage = makeStageWebhookEvent(deps)
  return async (id) => {
    if (!isUuid(id)) return err('unknown_incoming_payment')
    const at = new Date(deps.clock.now())
    const completed = await deps.unitOfWork.run(async (repositories) => {
      const result = await repositories.incomingPayments.complete(id, at)
      const type = 'incoming_payment.completed'
      if (result.ok) await stageSettledPaymentEvent(stage, repositories, type, result.value)
      return result
    })
    if (completed.ok) wakeWebhookWorkers(deps.signal)
    return completed
  }
}
