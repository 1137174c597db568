import { describe } from 'vitest'
import { makePostgresLedger } from '../../adapters/ledger-postgres/postgres-ledger.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import type { Database } from '../../adapters/postgres/database.ts'
import {
  openTestPglite,
  openTestPostgres,
  realPostgresSkipMessage,
  testDatabaseUrl,
} from '../support/databases.ts'
import { runLedgerContract, type LedgerFixture } from './ledger.contract.ts'

runLedgerContract('memory', async () => {
  const clock = makeFakeClock()
  return {
    ledger: makeMemoryLedger(clock),
    advance: async (ms) => clock.advance(ms),
    close: async () => {},
  }
})

// The SQL ledgers run on real time (the database clock), as in production.
const onDatabase = (database: Database): LedgerFixture => {
  // On real PostgreSQL, deferred transfers go through the pool that commits without a flush.
  const ledger = makePostgresLedger(
    database.sql,
    database.deferredSql ? { deferredSql: database.deferredSql } : {},
  )
  return {
    ledger,
    close: async () => {
      await ledger.close()
      await database.close()
    },
  }
}

runLedgerContract('postgres ledger on pglite', async () => onDatabase(await openTestPglite()))

describe.skipIf(testDatabaseUrl === undefined)(
  `real PostgreSQL (${realPostgresSkipMessage})`,
  () => {
    runLedgerContract('postgres ledger on postgres', async () => {
      const database = await openTestPostgres({ poolMax: 10 })
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      return onDatabase(database)
    })
  },
)

// TigerBeetle: its runs (a fake cluster always, a real one when TIGERBEETLE_REPLICA_ADDRESSES is
// set) are in ledger-tigerbeetle.test.ts, next to this file; another Ledger adapter goes here.
