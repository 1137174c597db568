import type { OutgoingPayment } from '../../domain/outgoing-payments/outgoing-payment.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { OutgoingPaymentRepository } from '../ports/outgoing-payment-repository.ts'

export type GetOutgoingPayment = (id: string) => Promise<OutgoingPayment | undefined>

export const makeGetOutgoingPayment =
  (deps: { readonly outgoingPayments: OutgoingPaymentRepository }): GetOutgoingPayment =>
  (id) =>
    isUuid(id) ? deps.outgoingPayments.getById(id) : Promise.resolve(undefined)
