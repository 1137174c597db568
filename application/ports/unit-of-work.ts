import type { IncomingPaymentRepository } from './incoming-payment-repository.ts'
import type { WalletAddressRepository } from './wallet-address-repository.ts'
import type { WebhookEventRepository } from './webhook-event-repository.ts'

/** Repositories bound to one transaction: their writes commit or roll back together. */
export type TransactionRepositories = {
  readonly incomingPayments: IncomingPaymentRepository
  readonly webhookEvents: WebhookEventRepository
  readonly walletAddresses: WalletAddressRepository
}

export interface UnitOfWork {
  /**
   * Runs `work` in one database transaction; it commits when `work` resolves and rolls back
   * when it throws. Never do network I/O inside `work`.
   */
  run<T>(work: (repositories: TransactionRepositories) => Promise<T>): Promise<T>
}
