// Applies the numbered SQL files in migrations/ in order, each in its own transaction, under a
// session advisory lock: replicas booting together on one database take turns, and the later ones
// find everything applied.
import { readdir, readFile } from 'node:fs/promises'
import postgres from 'postgres'
import type { ReservedSql, Sql } from 'postgres'
import type { Logger } from '../../application/ports/logger.ts'

// Two levels below the project root, like the bundle `npm run build` writes (.build/node/), so the
// same relative path finds migrations/ from the sources and from the bundle.
export const migrationsDirectory = new URL('../../migrations/', import.meta.url)

export type MigrationOptions = {
  readonly directory: URL | string
  readonly logger?: Pick<Logger, 'info'>
  /** How long to wait for another process's migrations before giving up. Default 5 minutes. */
  readonly lockWaitMs?: number
}

export type MigrationResult = {
  /** Names (file names without `.sql`) applied by this call, in order. */
  readonly applied: string[]
}

export type Migration = {
  /** The file name without `.sql`, as recorded in schema_migrations. */
  readonly name: string
  readonly number: number
  readonly file: URL | string
}

// Arbitrary but fixed forever: every version of the node must contend on the same lock.
const migrationLockKey = '7166947402372839757'
const lockWaitMsDefault = 300_000
const fileNamePattern = /^(\d{4})_[a-z0-9]+(?:_[a-z0-9]+)*\.sql$/
const lockNotAvailable = '55P03'

export async function runMigrations(sql: Sql, options: MigrationOptions): Promise<MigrationResult> {
  const migrations = await readMigrations(options.directory)
  // Advisory locks belong to a session, so the lock and the migrations share one connection.
  const connection = await sql.reserve()
  try {
    await lockMigrations(connection, options.lockWaitMs ?? lockWaitMsDefault)
    try {
      return await applyPending(connection, migrations, options)
    } finally {
      // If this fails the session is broken, and its advisory locks ended with it.
      await connection`select pg_advisory_unlock(${migrationLockKey}::bigint)`.catch(() => {})
    }
  } finally {
    connection.release()
  }
}

async function applyPending(
  connection: ReservedSql,
  migrations: readonly Migration[],
  options: MigrationOptions,
): Promise<MigrationResult> {
  await connection`
    create table if not exists schema_migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    )`
  const recorded = await connection<{ name: string }[]>`select name from schema_migrations`
  const done = new Set(recorded.map((row) => row.name))
  const known = new Set(migrations.map((migration) => migration.name))
  const missing = [...done].filter((name) => !known.has(name)).sort()
  if (missing.length > 0) {
    throw new Error(
      `Migration(s) ${missing.join(', ')} are recorded in schema_migrations but have no file in ` +
        `${String(options.directory)}: this database was migrated by another version of the node`,
    )
  }
  const applied: string[] = []
  for (const migration of migrations) {
    if (done.has(migration.name)) continue
    await applyOne(connection, migration, options.logger)
    applied.push(migration.name)
  }
  options.logger?.info({ applied: applied.length, total: migrations.length }, 'migrations done')
  return { applied }
}

async function applyOne(
  connection: ReservedSql,
  migration: Migration,
  logger: MigrationOptions['logger'],
): Promise<void> {
  const text = await readFile(migration.file, 'utf8')
  const startedMs = performance.now()
  // A reserved connection has no begin(): the transaction is spelled out.
  await connection.unsafe('begin')
  try {
    await connection.unsafe(text)
    await connection`insert into schema_migrations (name) values (${migration.name})`
    await connection.unsafe('commit')
  } catch (error) {
    await connection.unsafe('rollback').catch(() => {})
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${reason}`, {
      cause: error,
    })
  }
  const durationMs = Math.round(performance.now() - startedMs)
  logger?.info({ migration: migration.name, durationMs }, 'applied migration')
}

async function lockMigrations(connection: ReservedSql, lockWaitMs: number): Promise<void> {
  await connection`select set_config('lock_timeout', ${String(lockWaitMs)}, false)`
  try {
    await connection`select pg_advisory_lock(${migrationLockKey}::bigint)`
  } catch (error) {
    if (error instanceof postgres.PostgresError && error.code === lockNotAvailable) {
      throw new Error(
        `Waited ${lockWaitMs} ms for the migration lock: another process is still migrating ` +
          'this database',
        { cause: error },
      )
    }
    throw error
  } finally {
    await connection`reset lock_timeout`.catch(() => {})
  }
}

/** Lists the migration files in order; refuses names that break the NNNN_name.sql convention. */
export async function readMigrations(directory: URL | string): Promise<Migration[]> {
  const entries = await readdir(directory, { withFileTypes: true })
  const migrations: Migration[] = []
  const bad: string[] = []
  for (const entry of entries) {
    // Dotfiles (editor swap files) and notes are not migrations.
    if (entry.name.startsWith('.') || entry.name.endsWith('.md')) continue
    const match = entry.isFile() ? fileNamePattern.exec(entry.name) : null
    if (!match?.[1]) {
      bad.push(entry.name)
      continue
    }
    const name = entry.name.slice(0, -'.sql'.length)
    migrations.push({ name, number: Number(match[1]), file: fileIn(directory, entry.name) })
  }
  if (bad.length > 0) {
    throw new Error(
      `Not a migration file name in ${String(directory)}: ${bad.sort().join(', ')} ` +
        '(expected NNNN_lower_snake_name.sql, e.g. 0001_assets.sql)',
    )
  }
  migrations.sort((a, b) => a.number - b.number)
  const repeated = migrations.filter((m, i) => migrations[i - 1]?.number === m.number)
  if (repeated.length > 0) {
    const numbers = [...new Set(repeated.map((m) => String(m.number).padStart(4, '0')))]
    throw new Error(`Migration numbers used twice in ${String(directory)}: ${numbers.join(', ')}`)
  }
  return migrations
}

function fileIn(directory: URL | string, name: string): URL | string {
  if (typeof directory === 'string') return `${directory.replace(/\/+$/, '')}/${name}`
  return new URL(name, directory.href.endsWith('/') ? directory : `${directory.href}/`)
}
