import type { Sql } from 'postgres'
import type {
  OutgoingPaymentTransaction,
  OutgoingPaymentUnitOfWork,
} from '../../application/ports/outgoing-payment-unit-of-work.ts'
import { makePostgresIncomingPaymentRepository } from './incoming-payment-repository.ts'
import { makePostgresOutgoingPaymentRepository } from './outgoing-payment-repository.ts'
import { makePostgresWalletAddressRepository } from './wallet-address-repository.ts'
import { makePostgresWebhookEventRepository } from './webhook-event-repository.ts'

/** One `sql.begin` per run, with every repository bound to that transaction. */
export function makePostgresOutgoingPaymentUnitOfWork(sql: Sql): OutgoingPaymentUnitOfWork {
  return {
    async run(work) {
      const result = await sql.begin(async (tx) => {
        const repositories: OutgoingPaymentTransaction = {
          outgoingPayments: makePostgresOutgoingPaymentRepository(tx),
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
