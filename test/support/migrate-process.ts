// Run as its own OS process by migrations.test.ts (`node --import tsx`) to boot like a replica:
//   migrate-process.ts <postgres url> <migrations directory>
// Prints one JSON line {applied, startedAt, finishedAt} and exits 0, or prints the error and exits 1.
import { openDatabase } from '../../adapters/postgres/database.ts'
import { runMigrations } from '../../adapters/postgres/migrations.ts'

async function main(url: string, directory: string): Promise<void> {
  const database = await openDatabase(
    { kind: 'postgres', url },
    { poolMax: 2, connectTimeoutSeconds: 10 },
  )
  try {
    const startedAt = Date.now()
    const { applied } = await runMigrations(database.sql, { directory, lockWaitMs: 30_000 })
    console.log(JSON.stringify({ applied, startedAt, finishedAt: Date.now() }))
  } finally {
    await database.close()
  }
}

const [url, directory] = process.argv.slice(2)
if (url === undefined || directory === undefined) {
  console.error('usage: migrate-process.ts <postgres url> <migrations directory>')
  process.exit(2)
}
main(url, directory).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
