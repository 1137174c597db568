import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { IncomingPaymentRepository } from '../ports/incoming-payment-repository.ts'

export type GetIncomingPayment = (id: string) => Promise<IncomingPayment | undefined>

export const makeGetIncomingPayment =
  (deps: { readonly incomingPayments: IncomingPaymentRepository }): GetIncomingPayment =>
  (id) =>
    isUuid(id) ? deps.incomingPayments.getById(id) : Promise.resolve(undefined)
