import { describe } from 'vitest'
import { makeMemoryWebhookEventRepository } from '../../adapters/memory/memory-webhook-event-repository.ts'
import { makePostgresWebhookEventRepository } from '../../adapters/postgres/webhook-event-repository.ts'
import {
  testDatabaseUrl,
  realPostgresSkipMessage,
  openTestPglite,
  openTestPostgres,
} from '../support/databases.ts'
import { runWebhookEventRepositoryContract } from './webhook-event-repository.contract.ts'

runWebhookEventRepositoryContract('memory', async () => ({
  events: makeMemoryWebhookEventRepository(),
  close: async () => {},
}))

runWebhookEventRepositoryContract('pglite', async () => {
  const database = await openTestPglite()
  return {
    events: makePostgresWebhookEventRepository(database.sql),
    close: () => database.close(),
  }
})

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runWebhookEventRepositoryContract('postgres', async () => {
      // Several connections, so concurrent claims really race in the database.
      const database = await openTestPostgres({ poolMax: 8 })
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return {
        events: makePostgresWebhookEventRepository(database.sql),
        close: () => database.close(),
      }
    })
  },
)
