import { describe } from 'vitest'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryFeeRepository } from '../../adapters/memory/memory-fee-repository.ts'
import { makePostgresAssetRepository } from '../../adapters/postgres/asset-repository.ts'
import type { Database } from '../../adapters/postgres/database.ts'
import { makePostgresFeeRepository } from '../../adapters/postgres/fee-repository.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../support/databases.ts'
import { runFeeRepositoryContract, type FeeRepositoryFixture } from './fee-repository.contract.ts'

const onDatabase = (database: Database): FeeRepositoryFixture => ({
  fees: makePostgresFeeRepository(database.sql),
  assets: makePostgresAssetRepository(database.sql),
  close: () => database.close(),
})

runFeeRepositoryContract('memory', async () => ({
  fees: makeMemoryFeeRepository(),
  assets: makeMemoryAssetRepository(),
  close: async () => {},
}))

runFeeRepositoryContract('pglite', async () => onDatabase(await openTestPglite()))

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runFeeRepositoryContract('postgres', async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return onDatabase(database)
    })
  },
)
