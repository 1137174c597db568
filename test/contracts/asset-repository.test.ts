import { describe } from 'vitest'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makePostgresAssetRepository } from '../../adapters/postgres/asset-repository.ts'
import {
  testDatabaseUrl,
  realPostgresSkipMessage,
  openTestPglite,
  openTestPostgres,
} from '../support/databases.ts'
import { runAssetRepositoryContract } from './asset-repository.contract.ts'

runAssetRepositoryContract('memory', async () => ({
  assets: makeMemoryAssetRepository(),
  close: async () => {},
}))

runAssetRepositoryContract('pglite', async () => {
  const database = await openTestPglite()
  return { assets: makePostgresAssetRepository(database.sql), close: () => database.close() }
})

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runAssetRepositoryContract('postgres', async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return { assets: makePostgresAssetRepository(database.sql), close: () => database.close() }
    })
  },
)
