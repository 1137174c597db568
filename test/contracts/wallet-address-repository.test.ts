import { describe } from 'vitest'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryWalletAddressKeyRepository } from '../../adapters/memory/memory-wallet-address-key-repository.ts'
import { makeMemoryWalletAddressRepository } from '../../adapters/memory/memory-wallet-address-repository.ts'
import { makePostgresAssetRepository } from '../../adapters/postgres/asset-repository.ts'
import type { Database } from '../../adapters/postgres/database.ts'
import { makePostgresWalletAddressKeyRepository } from '../../adapters/postgres/wallet-address-key-repository.ts'
import { makePostgresWalletAddressRepository } from '../../adapters/postgres/wallet-address-repository.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../support/databases.ts'
import {
  runWalletAddressRepositoryContract,
  type WalletAddressRepositoryFixture,
} from './wallet-address-repository.contract.ts'

const onDatabase = (database: Database): WalletAddressRepositoryFixture => ({
  walletAddresses: makePostgresWalletAddressRepository(database.sql),
  keys: makePostgresWalletAddressKeyRepository(database.sql),
  assets: makePostgresAssetRepository(database.sql),
  close: () => database.close(),
})

runWalletAddressRepositoryContract('memory', async () => ({
  walletAddresses: makeMemoryWalletAddressRepository(),
  keys: makeMemoryWalletAddressKeyRepository(),
  assets: makeMemoryAssetRepository(),
  close: async () => {},
}))

runWalletAddressRepositoryContract('pglite', async () => onDatabase(await openTestPglite()))

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runWalletAddressRepositoryContract('postgres', async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return onDatabase(database)
    })
  },
)
