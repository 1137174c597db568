import { assert } from '../../domain/shared/assert.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { UnitOfWork } from '../ports/unit-of-work.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { stageSettledPaymentEvent } from '../incoming-payments/stage-settled-payment-event.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'

/** The work-signal topic of the incoming-payment expiry workers. */
export const incomingPaymentWorkTopic = 'incoming_payment'

export type ProcessNextIncomingPaymentDeps = {
  readonly unitOfWork: UnitOfWork
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
  /** Payments expired per step (one transaction). */
  readonly expiryBatchMax: number
}

/**
 * One worker step (for makeWorkerLoop's processNext): expires due PENDING/PROCESSING payments
 * and, like Rafiki, sends `incoming_payment.expired` for those that received something (the ASE
 * withdraws it). True when it expired any.
 */
export const makeProcessNextIncomingPayment = (
  deps: ProcessNextIncomingPaymentDeps,
): (() => Promise<boolean>) => {
  assert(
    Number.isSafeInteger(deps.expiryBatchMax) && deps.expiryBatchMax >= 1,
    'expiryBatchMax >= 1',
  )
  const stage = makeStageWebhookEvent(deps)
  return async () => {
    const now = new Date(deps.clock.now())
    const { expired, staged } = await deps.unitOfWork.run(async (repositories) => {
      const payments = await repositories.incomingPayments.expireDue(now, deps.expiryBatchMax)
      let count = 0
      for (const payment of payments) {
        const type = 'incoming_payment.expired'
        if (await stageSettledPaymentEvent(stage, repositories, type, payment)) count += 1
      }
      return { expired: payments.length, staged: count }
    })
    if (staged > 0) wakeWebhookWorkers(deps.signal)
    return expired > 0
  }
}
