// Databases for tests: PGlite always (fast, from the template global-setup.ts made), real
// PostgreSQL when TEST_DATABASE_URL is set (a fresh database per call, dropped on close).
//
//   describeWithDatabases('asset repository', (target) => {
//     let db: Database
//     beforeAll(async () => { db = await target.open() })
//     afterAll(() => db.close())
//     ...
//   })
import { readFile } from 'node:fs/promises'
import postgres from 'postgres'
import { describe, inject } from 'vitest'
import { openDatabase, type Database } from '../../adapters/postgres/database.ts'
import { migrationsDirectory, runMigrations } from '../../adapters/postgres/migrations.ts'

export const realPostgresSkipMessage = 'set TEST_DATABASE_URL to run against real PostgreSQL'

/** An empty value counts as unset, as in `TEST_DATABASE_URL= npm test`. */
export const testDatabaseUrl: string | undefined = process.env['TEST_DATABASE_URL'] || undefined

export type TestDatabaseOptions = {
  /** Apply migrations/ before returning. Default true. */
  readonly migrate?: boolean
  /** Real Postgres only. Default 5. */
  readonly poolMax?: number
}

export type TestDatabaseTarget = {
  readonly name: 'pglite' | 'postgres'
  /** For a suite title; a skipped target's title says how to enable it. */
  readonly title: string
  readonly skip: boolean
  open(options?: TestDatabaseOptions): Promise<Database>
}

/** A database on TEST_DATABASE_URL's server; `url` lets another process connect to it. */
export type TestPostgres = Database & { readonly url: string }

const connectTimeoutSeconds = 10
const poolMaxDefault = 5

let pgliteTemplate: Promise<Blob | undefined> | undefined

/** A new in-memory PGlite, migrated unless told otherwise; ~0.4 s with the template. */
export async function openTestPglite(options: TestDatabaseOptions = {}): Promise<Database> {
  pgliteTemplate ??= loadPgliteTemplate()
  const template = await pgliteTemplate
  const database = await openDatabase(
    { kind: 'pglite', dataDir: 'memory' },
    { poolMax: 1, connectTimeoutSeconds, ...(template && { pgliteTemplate: template }) },
  )
  return migrated(database, options)
}

/** A new database on TEST_DATABASE_URL's server, dropped on close; undefined when it is unset. */
export async function openTestPostgres(
  options: TestDatabaseOptions = {},
): Promise<TestPostgres | undefined> {
  if (testDatabaseUrl === undefined) return undefined
  const name = `${inject('testDatabasePrefix') ?? 'test_'}${crypto.randomUUID().slice(0, 12)}`
  await withAdmin(testDatabaseUrl, (sql) => sql`create database ${sql(name)}`)
  const url = new URL(testDatabaseUrl)
  url.pathname = `/${name}`
  let database: Database
  try {
    database = await openDatabase(
      { kind: 'postgres', url: url.href },
      { poolMax: options.poolMax ?? poolMaxDefault, connectTimeoutSeconds },
    )
  } catch (error) {
    await dropTestDatabase(name)
    throw error
  }
  const dropping = { ...database, url: url.href, close: closeThenDrop(database, name) }
  await migrated(dropping, options)
  return dropping
}

/** The targets available in this run: PGlite, and real Postgres when TEST_DATABASE_URL is set. */
export function testDatabaseTargets(): readonly TestDatabaseTarget[] {
  return allTargets().filter((target) => !target.skip)
}

/** One describe per target; real Postgres shows as skipped, with how to enable it, when unset. */
export function describeWithDatabases(title: string, body: (target: TestDatabaseTarget) => void) {
  for (const target of allTargets()) {
    describe.skipIf(target.skip)(`${title} (${target.title})`, () => body(target))
  }
}

/** Real PostgreSQL only (e.g. several processes on one database), skipped with the message. */
export function describeWithPostgres(title: string, body: (target: TestDatabaseTarget) => void) {
  const target = postgresTarget()
  describe.skipIf(target.skip)(`${title} (${target.title})`, () => body(target))
}

function allTargets(): TestDatabaseTarget[] {
  const pglite: TestDatabaseTarget = {
    name: 'pglite',
    title: 'pglite',
    skip: false,
    open: openTestPglite,
  }
  return [pglite, postgresTarget()]
}

function postgresTarget(): TestDatabaseTarget {
  const skip = testDatabaseUrl === undefined
  return {
    name: 'postgres',
    title: skip ? `postgres skipped: ${realPostgresSkipMessage}` : 'postgres',
    skip,
    async open(options) {
      const database = await openTestPostgres(options)
      if (database === undefined) throw new Error(realPostgresSkipMessage)
      return database
    },
  }
}

async function migrated(database: Database, options: TestDatabaseOptions): Promise<Database> {
  if (options.migrate === false) return database
  try {
    await runMigrations(database.sql, { directory: migrationsDirectory })
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}

async function loadPgliteTemplate(): Promise<Blob | undefined> {
  // Empty outside a run with global-setup.ts (another config): PGlite then runs initdb itself.
  const path = inject('pgliteTemplate')
  if (!path) return undefined
  return new Blob([new Uint8Array(await readFile(path))])
}

function closeThenDrop(database: Database, name: string): () => Promise<void> {
  let closing: Promise<void> | undefined
  const close = async () => {
    await database.close()
    await dropTestDatabase(name)
  }
  return () => (closing ??= close())
}

async function dropTestDatabase(name: string): Promise<void> {
  if (testDatabaseUrl === undefined) return
  await withAdmin(testDatabaseUrl, (sql) => sql`drop database if exists ${sql(name)} with (force)`)
}

async function withAdmin(url: string, use: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: connectTimeoutSeconds, onnotice: () => {} })
  try {
    await use(sql)
  } finally {
    await sql.end({ timeout: 5 })
  }
}
