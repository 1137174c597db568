import { describe } from 'vitest'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryIncomingPaymentRepository } from '../../adapters/memory/memory-incoming-payment-repository.ts'
import { makeMemoryPaymentRepository } from '../../adapters/memory/memory-payment-repository.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { makePostgresAssetRepository } from '../../adapters/postgres/asset-repository.ts'
import type { Database } from '../../adapters/postgres/database.ts'
import { makePostgresIncomingPaymentRepository } from '../../adapters/postgres/incoming-payment-repository.ts'
import { makePostgresPaymentRepository } from '../../adapters/postgres/payment-repository.ts'
import { makePostgresWalletAddressRepository } from '../../adapters/postgres/wallet-address-repository.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../support/databases.ts'
import {
  runPaymentRepositoryContract,
  type PaymentRepositoryFixture,
} from './payment-repository.contract.ts'

const onDatabase = (database: Database): PaymentRepositoryFixture => ({
  payments: makePostgresPaymentRepository(database.sql),
  incomingPayments: makePostgresIncomingPaymentRepository(database.sql),
  walletAddresses: makePostgresWalletAddressRepository(database.sql),
  assets: makePostgresAssetRepository(database.sql),
  close: () => database.close(),
})

runPaymentRepositoryContract('memory', async () => {
  const incomingPayments = makeMemoryIncomingPaymentRepository()
  return {
    payments: makeMemoryPaymentRepository({ incomingPayments: incomingPayments.all }),
    incomingPayments,
    walletAddresses: makeMemoryWalletAddressRepository(),
    assets: makeMemoryAssetRepository(),
    close: async () => {},
  }
})

runPaymentRepositoryContract('pglite', async () => onDatabase(await openTestPglite()))

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runPaymentRepositoryContract('postgres', async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return onDatabase(database)
    })
  },
)
