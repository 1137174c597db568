import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import type { Clock } from '../ports/clock.ts'
import type { IncomingPaymentRepository } from '../ports/incoming-payment-repository.ts'

export type UpdateIncomingPaymentInput = {
  readonly id: string
  /** Replaces the metadata; null clears it. */
  readonly metadata: JsonObject | null
}

export type UpdateIncomingPaymentError = 'unknown_incoming_payment'

export type UpdateIncomingPayment = (
  input: UpdateIncomingPaymentInput,
) => Promise<Result<IncomingPayment, UpdateIncomingPaymentError>>

export const makeUpdateIncomingPayment =
  (deps: {
    readonly incomingPayments: IncomingPaymentRepository
    readonly clock: Clock
  }): UpdateIncomingPayment =>
  async (input) => {
    const at = new Date(deps.clock.now())
    const updated = isUuid(input.id)
      ? await deps.incomingPayments.updateMetadata(input.id, input.metadata, at)
      : undefined
    return updated ? ok(updated) : err('unknown_incoming_payment')
  }
