import type { Sql } from 'postgres'
import type { TransactionRepositories, UnitOfWork } from '../../application/ports/unit-of-work.ts'
import { makePostgresIncomingPaymentRepository } from './incoming-payment-repository.ts'
import { makePostgresWalletAddressRepository } from './wallet-address-repository.ts'
import { makePostgresWebhookEventRepository } from './webhook-event-repository.ts'

/** One `sql.begin` per run, with every repository bound to that transaction. */
export function makePostgresUnitOfWork(sql: Sql): UnitOfWork {
  return {
    async run(work) {
      const result = await sql.begin(async (tx) => {
        const repositories: TransactionRepositories = {
          incomingPayments: makePostgresIncomingPaymentRepository(tx),
          webhookEvents: makePostgresWebhookEventRepository(tx),
          walletAddresses: makePostgresWalletAddressRepository(tx),
        }
        // Boxed: postgres.js would otherwise unwrap an array result's promises.
        return { value: await work(repositories) }
      })
      return result.value
    },
  }
}
