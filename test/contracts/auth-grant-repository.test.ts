import { describe } from 'vitest'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { makePostgresAuthGrantRepository } from '../../adapters/postgres/auth-grant-repository.ts'
import type { Database } from '../../adapters/postgres/database.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../support/databases.ts'
import {
  runAuthGrantRepositoryContract,
  type AuthGrantRepositoryFixture,
} from './auth-grant-repository.contract.ts'

const onDatabase = (database: Database): AuthGrantRepositoryFixture => ({
  repository: makePostgresAuthGrantRepository(database.sql),
  close: () => database.close(),
})

runAuthGrantRepositoryContract('memory', async () => ({
  repository: makeMemoryAuthGrantRepository(),
  close: async () => {},
}))

runAuthGrantRepositoryContract('pglite', async () => onDatabase(await openTestPglite()))

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runAuthGrantRepositoryContract('postgres', async () => {
      const database = await openTestPostgres()
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return onDatabase(database)
    })
  },
)
