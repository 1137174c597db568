import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { paymentOfIncoming } from '../../domain/payments/payment.ts'
import type { PaymentRepository } from '../../application/ports/payment-repository.ts'
import { pageOf } from './memory-page.ts'

/** In-process PaymentRepository for unit tests, over the rows of the memory repositories. */
export function makeMemoryPaymentRepository(sources: {
  readonly incomingPayments: () => readonly IncomingPayment[]
}): PaymentRepository {
  return {
    async list(request, filter = {}) {
      const types = filter.types && new Set<string>(filter.types)
      const walletAddressIds = filter.walletAddressIds && new Set(filter.walletAddressIds)
      const kept = sources
        .incomingPayments()
        .map(paymentOfIncoming)
        .filter(
          (payment) =>
            (types === undefined || types.has(payment.type)) &&
            (walletAddressIds === undefined || walletAddressIds.has(payment.walletAddressId)),
        )
      return pageOf(kept, request)
    },
  }
}
