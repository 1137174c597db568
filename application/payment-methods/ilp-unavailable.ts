import { err } from '../../domain/shared/result.ts'
import type { PaymentMethod } from '../ports/payment-methods.ts'

/**
 * Stands in for the ILP payment method until it is wired: a payment to another node fails at
 * once (not retryable) with receiver_unreachable, and nothing is debited.
 */
export const ilpPaymentMethodUnavailable: PaymentMethod = {
  pay: () =>
    Promise.resolve(
      err({ error: 'receiver_unreachable', retryable: false, debited: 0n, delivered: 0n }),
    ),
}
