import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { LiquidityError } from '../liquidity/liquidity-errors.ts'
import { withdrawEventLiquidity } from '../liquidity/withdraw-event-liquidity.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { OutgoingPaymentRepository } from '../ports/outgoing-payment-repository.ts'
import type { WebhookEventRepository } from '../ports/webhook-event-repository.ts'

export type CreateOutgoingPaymentWithdrawalError =
  | LiquidityError
  | 'unknown_outgoing_payment'
  /** Not COMPLETED or FAILED yet: its unspent liquidity is known only then. */
  | 'outgoing_payment_not_settled'
  /** Settled with nothing left in its account: no event asks for a withdrawal. */
  | 'nothing_to_withdraw'

export type CreateOutgoingPaymentWithdrawal = (input: {
  readonly outgoingPaymentId: string
  /** > 0: a pending withdrawal, posted or voided later; 0: withdrawn at once. */
  readonly timeoutSeconds: number
}) => Promise<Result<void, CreateOutgoingPaymentWithdrawalError>>

/**
 * Rafiki's createOutgoingPaymentWithdrawal: withdraws the unspent liquidity that the payment's
 * `outgoing_payment.completed|failed` event names, by a transfer whose id is the event's, so a
 * retry moves nothing again.
 */
export const makeCreateOutgoingPaymentWithdrawal =
  (deps: {
    readonly outgoingPayments: OutgoingPaymentRepository
    readonly webhookEvents: WebhookEventRepository
    readonly assets: AssetRepository
    readonly ledger: Ledger
  }): CreateOutgoingPaymentWithdrawal =>
  async (input) => {
    const id = input.outgoingPaymentId
    const payment = isUuid(id) ? await deps.outgoingPayments.getById(id) : undefined
    if (!payment) return err('unknown_outgoing_payment')
    if (payment.state !== 'COMPLETED' && payment.state !== 'FAILED') {
      return err('outgoing_payment_not_settled')
    }
    return withdrawEventLiquidity(
      deps,
      payment.id,
      ['outgoing_payment.completed', 'outgoing_payment.failed'],
      input.timeoutSeconds,
    )
  }
