import { describe } from 'vitest'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryPeerRepository } from '../../adapters/memory/memory-peer-repository.ts'
import { makePostgresAssetRepository } from '../../adapters/postgres/asset-repository.ts'
import type { Database } from '../../adapters/postgres/database.ts'
import { makePostgresPeerRepository } from '../../adapters/postgres/peer-repository.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../support/databases.ts'
import {
  runPeerRepositoryContract,
  type PeerRepositoryFixture,
} from './peer-repository.contract.ts'

const onDatabase = (database: Database): PeerRepositoryFixture => ({
  peers: makePostgresPeerRepository(database.sql),
  assets: makePostgresAssetRepository(database.sql),
  close: () => database.close(),
})

runPeerRepositoryContract('memory', async () => ({
  peers: makeMemoryPeerRepository(),
  assets: makeMemoryAssetRepository(),
  close: async () => {},
}))

runPeerRepositoryContract('pglite', async () => onDatabase(await openTestPglite()))

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runPeerRepositoryContract('postgres', async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return onDatabase(database)
    })
  },
)
