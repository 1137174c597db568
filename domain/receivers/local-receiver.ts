// An incoming payment of this node seen as a receiver.
import type { IncomingPayment } from '../incoming-payments/incoming-payment.ts'
import type { IlpMethod, Receiver } from './receiver.ts'

export type LocalReceiverContext = {
  /** OPEN_PAYMENTS_URL: the payment's URL is `{it}/incoming-payments/{id}`. */
  readonly resourceServerUrl: string
  readonly walletAddressUrl: string
  /** STREAM credentials; only asked for while the payment can still receive. */
  readonly ilp: (paymentId: string) => IlpMethod
}

export function localReceiver(payment: IncomingPayment, context: LocalReceiverContext): Receiver {
  const active = payment.state === 'PENDING' || payment.state === 'PROCESSING'
  return {
    id: `${context.resourceServerUrl.replace(/\/+$/, '')}/incoming-payments/${payment.id}`,
    walletAddressUrl: context.walletAddressUrl,
    assetCode: payment.receivedAmount.assetCode,
    assetScale: payment.receivedAmount.assetScale,
    incomingAmount: payment.incomingAmount,
    receivedAmount: payment.receivedAmount,
    completed: payment.state === 'COMPLETED',
    expiresAt: payment.expiresAt,
    metadata: payment.metadata,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    ilp: active ? context.ilp(payment.id) : null,
    localIncomingPaymentId: payment.id,
  }
}
