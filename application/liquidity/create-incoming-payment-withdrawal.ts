import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { IncomingPaymentRepository } from '../ports/incoming-payment-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { WebhookEventRepository } from '../ports/webhook-event-repository.ts'
import type { LiquidityError } from './liquidity-errors.ts'
import { withdrawEventLiquidity } from './withdraw-event-liquidity.ts'

export type CreateIncomingPaymentWithdrawalInput = {
  readonly incomingPaymentId: string
  /** > 0: a pending withdrawal, posted or voided later; 0: withdrawn at once. */
  readonly timeoutSeconds: number
}

export type CreateIncomingPaymentWithdrawalError =
  | LiquidityError
  | 'unknown_incoming_payment'
  /** Still PENDING or PROCESSING: its money is withdrawn once it completes or expires. */
  | 'incoming_payment_not_settled'
  /** Completed or expired having received nothing: no event asks for a withdrawal. */
  | 'nothing_to_withdraw'

export type CreateIncomingPaymentWithdrawal = (
  input: CreateIncomingPaymentWithdrawalInput,
) => Promise<Result<void, CreateIncomingPaymentWithdrawalError>>

export type CreateIncomingPaymentWithdrawalDeps = {
  readonly incomingPayments: IncomingPaymentRepository
  readonly webhookEvents: WebhookEventRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
}

/**
 * Rafiki's createIncomingPaymentWithdrawal: withdraws what the payment's
 * `incoming_payment.completed|expired` event asks for, from its INCOMING account, by a transfer
 * whose id is the event's. A retry with the same timeout is therefore a success that moves
 * nothing again; the withdrawal is posted or voided with post/voidLiquidityWithdrawal.
 */
export const makeCreateIncomingPaymentWithdrawal =
  (deps: CreateIncomingPaymentWithdrawalDeps): CreateIncomingPaymentWithdrawal =>
  async (input) => {
    const { incomingPaymentId: id } = input
    const payment = isUuid(id) ? await deps.incomingPayments.getById(id) : undefined
    if (!payment) return err('unknown_incoming_payment')
    if (payment.state !== 'COMPLETED' && payment.state !== 'EXPIRED') {
      return err('incoming_payment_not_settled')
    }
    return withdrawEventLiquidity(
      deps,
      payment.id,
      ['incoming_payment.completed', 'incoming_payment.expired'],
      input.timeoutSeconds,
    )
  }
