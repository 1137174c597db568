import type { IncomingPaymentRepository } from './incoming-payment-repository.ts'
import type { OutgoingPaymentRepository } from './outgoing-payment-repository.ts'
import type { WalletAddressRepository } from './wallet-address-repository.ts'
import type { WebhookEventRepository } from './webhook-event-repository.ts'

/** Repositories bound to one transaction, outgoing payments included. */
export type OutgoingPaymentTransaction = {
  readonly outgoingPayments: OutgoingPaymentRepository
  readonly incomingPayments: IncomingPaymentRepository
  readonly webhookEvents: WebhookEventRepository
  readonly walletAddresses: WalletAddressRepository
}

export interface OutgoingPaymentUnitOfWork {
  /** One database transaction: commits when `work` resolves, rolls back when it throws. */
  run<T>(work: (repositories: OutgoingPaymentTransaction) => Promise<T>): Promise<T>
}
