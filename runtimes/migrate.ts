// `npm run migrate`: applies pending migrations and exits. For ENABLE_MANUAL_MIGRATIONS=true, where
// the node itself does not migrate at boot.
import { openDatabase } from '../adapters/postgres/database.ts'
import { migrationsDirectory, runMigrations } from '../adapters/postgres/migrations.ts'
import { loadConfig } from './config.ts'

const connectTimeoutSeconds = 10

async function main(): Promise<number> {
  const loaded = loadConfig(process.env)
  if (!loaded.ok) {
    console.error(loaded.message)
    return 1
  }
  const { database: target } = loaded.config
  const database = await openDatabase(target, { poolMax: 1, connectTimeoutSeconds })
  try {
    const { applied } = await runMigrations(database.sql, { directory: migrationsDirectory })
    const where = target.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${target.dataDir})`
    const names = applied.map((name) => `\n  ${name}`).join('')
    console.log(
      applied.length === 0
        ? `${where}: nothing to apply, the schema is up to date`
        : `${where}: applied ${applied.length} migration(s):${names}`,
    )
    return 0
  } finally {
    await database.close()
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
