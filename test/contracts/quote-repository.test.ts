import { describe } from 'vitest'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryQuoteRepository } from '../../adapters/memory/memory-quote-repository.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { makePostgresAssetRepository } from '../../adapters/postgres/asset-repository.ts'
import type { Database } from '../../adapters/postgres/database.ts'
import { makePostgresQuoteRepository } from '../../adapters/postgres/quote-repository.ts'
import { makePostgresWalletAddressRepository } from '../../adapters/postgres/wallet-address-repository.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../support/databases.ts'
import {
  runQuoteRepositoryContract,
  type QuoteRepositoryFixture,
} from './quote-repository.contract.ts'

const onDatabase = (database: Database): QuoteRepositoryFixture => ({
  quotes: makePostgresQuoteRepository(database.sql),
  walletAddresses: makePostgresWalletAddressRepository(database.sql),
  assets: makePostgresAssetRepository(database.sql),
  close: () => database.close(),
})

runQuoteRepositoryContract('memory', async () => ({
  quotes: makeMemoryQuoteRepository(),
  walletAddresses: makeMemoryWalletAddressRepository(),
  assets: makeMemoryAssetRepository(),
  close: async () => {},
}))

runQuoteRepositoryContract('pglite', async () => onDatabase(await openTestPglite()))

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runQuoteRepositoryContract('postgres', async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return onDatabase(database)
    })
  },
)
