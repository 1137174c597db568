import {
  outgoingPaymentData,
  type OutgoingPayment,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import type { WebhookEventRepository } from '../ports/webhook-event-repository.ts'
import type { StageWebhookEvent } from '../webhooks/emit-webhook-event.ts'

export type OutgoingPaymentEventType =
  'outgoing_payment.created' | 'outgoing_payment.completed' | 'outgoing_payment.failed'

/**
 * Inside the unit of work that made the change: stages the payment's event. As Rafiki's, it
 * carries the account's balance, and asks the ASE to withdraw it when there is any (completed:
 * the fee and anything unspent; failed: what was not sent). `balance` is read before the
 * transaction: no ledger call happens inside it.
 */
export async function stageOutgoingPaymentEvent(
  stage: StageWebhookEvent,
  events: WebhookEventRepository,
  type: OutgoingPaymentEventType,
  payment: OutgoingPayment,
  assetId: string,
  balance: bigint,
): Promise<void> {
  await stage(events, {
    type,
    data: outgoingPaymentData(payment, balance),
    withdrawal:
      type !== 'outgoing_payment.created' && balance > 0n
        ? { accountId: payment.id, assetId, amount: balance }
        : undefined,
  })
}
