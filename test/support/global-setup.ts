// Vitest globalSetup. PGlite's initdb takes ~2.5 s, but a database loaded from a data-directory
// tarball starts in ~0.4 s, so the tarball is made once (and kept between runs, keyed by the
// PGlite version) and every test database starts from it. See test/support/databases.ts.
import { readFile, rename, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data-directory tarball (initdb done, no migrations); '' if there is none. */
    pgliteTemplate: string
    /** Databases this run creates on TEST_DATABASE_URL start with it; teardown drops leftovers. */
    testDatabasePrefix: string
  }
}

// Bump when the way the template is made changes, so an old cached one is not reused.
const templateFormat = 1

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const testDatabaseUrl = process.env['TEST_DATABASE_URL'] || undefined
  const testDatabasePrefix = `test_${crypto.randomUUID().slice(0, 8)}_`
  project.provide('pgliteTemplate', await ensurePgliteTemplate())
  project.provide('testDatabasePrefix', testDatabasePrefix)
  if (testDatabaseUrl === undefined) {
    console.info(
      'Real-PostgreSQL suites are skipped: set TEST_DATABASE_URL to run against real PostgreSQL',
    )
  }
  return async () => {
    if (testDatabaseUrl !== undefined) await dropLeftovers(testDatabaseUrl, testDatabasePrefix)
  }
}

async function ensurePgliteTemplate(): Promise<string> {
  const path = `${tmpdir()}/ilp-node-pglite-${await pgliteVersion()}-template-${templateFormat}.tar`
  if (await exists(path)) return path
  const db = await PGlite.create()
  try {
    const tarball = await db.dumpDataDir('none')
    // Written aside and renamed, so a concurrent run never loads a half-written file.
    const partial = `${path}.${process.pid}.partial`
    await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()))
    await rename(partial, path)
  } finally {
    await db.close()
  }
  return path
}

async function pgliteVersion(): Promise<string> {
  const file = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)
  try {
    const { version } = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown }
    if (typeof version === 'string') return version
  } catch {
    // Fall through: an unknown version gets a template of its own for this process.
  }
  return `unknown-${process.pid}`
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/** Drops the databases a test created and did not close (a crash, a forgotten close()). */
async function dropLeftovers(url: string, prefix: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} })
  try {
    const rows = await sql<{ datname: string }[]>`
      select datname from pg_database where starts_with(datname, ${prefix})`
    for (const { datname } of rows) {
      await sql`drop database if exists ${sql(datname)} with (force)`
    }
  } finally {
    await sql.end({ timeout: 5 })
  }
}
