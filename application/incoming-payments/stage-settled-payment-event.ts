import {
  incomingPaymentData,
  type IncomingPayment,
} from '../../domain/incoming-payments/incoming-payment.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { TransactionRepositories } from '../ports/unit-of-work.ts'
import type { StageWebhookEvent } from '../webhooks/emit-webhook-event.ts'

export type SettledPaymentEventType = 'incoming_payment.completed' | 'incoming_payment.expired'

/**
 * Inside the unit of work that completed or expired `payment`: stages its event when it received
 * something (as Rafiki, which sends none for an empty payment: the event asks the ASE to withdraw).
 * The event records the withdrawal, everything received, from the payment's INCOMING account
 * (id = payment id); createIncomingPaymentWithdrawal withdraws it. True when it staged one.
 */
export async function stageSettledPaymentEvent(
  stage: StageWebhookEvent,
  repositories: Pick<TransactionRepositories, 'webhookEvents' | 'walletAddresses'>,
  type: SettledPaymentEventType,
  payment: IncomingPayment,
): Promise<boolean> {
  const amount = payment.receivedAmount.value
  if (amount === 0n) return false
  // The payment's asset is its wallet address's, which never changes.
  const walletAddress = await repositories.walletAddresses.getById(payment.walletAddressId)
  assert(walletAddress, `incoming payment ${payment.id}: wallet address missing`)
  await stage(repositories.webhookEvents, {
    type,
    data: incomingPaymentData(payment),
    withdrawal: { accountId: payment.id, assetId: walletAddress.assetId, amount },
  })
  return true
}
