import { spawn } from 'node:child_process'
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest'
import {
  describeWithDatabases,
  describeWithPostgres,
  openTestPostgres,
  realPostgresSkipMessage,
  type TestPostgres,
} from '../../test/support/databases.ts'
import { openDatabase, type Database } from './database.ts'
import { migrationsDirectory, readMigrations, runMigrations } from './migrations.ts'

const projectRoot = fileURLToPath(new URL('../../', import.meta.url))
const childScript = fileURLToPath(new URL('../../test/support/migrate-process.ts', import.meta.url))
const fixtureDirs: string[] = []
const clientOptions = { poolMax: 2, connectTimeoutSeconds: 10 }

afterAll(async () => {
  await Promise.all(fixtureDirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(`${tmpdir()}/ilp-node-migrations-`)
  fixtureDirs.push(dir)
  for (const [name, text] of Object.entries(files)) await writeFile(`${dir}/${name}`, text)
  return dir
}

async function recorded(database: Database): Promise<string[]> {
  const rows = await database.sql<{ name: string }[]>`select name from schema_migrations`
  return rows.map((row) => row.name).sort()
}

// Three steps whose middle one is slow, so that concurrent runs really overlap; the creates
// would fail if any step ran twice.
const slowFixture = {
  '0001_first.sql': 'CREATE TABLE first_table (id int PRIMARY KEY);',
  '0002_slow.sql': 'SELECT pg_sleep(1.5);',
  '0003_third.sql': 'CREATE TABLE third_table (id int PRIMARY KEY);',
}
const slowFixtureNames = ['0001_first', '0002_slow', '0003_third']

it('reads NNNN_name.sql files in numeric order, skipping dotfiles and notes', async () => {
  const dir = await fixture({
    '0010_later.sql': '',
    '0002_early.sql': '',
    '.0003_swap.sql.swp': '',
    'README.md': '',
  })
  const migrations = await readMigrations(dir)
  expect(migrations.map((m) => m.name)).toEqual(['0002_early', '0010_later'])
  const repository = await readMigrations(migrationsDirectory)
  expect(repository[0]?.name).toBe('0001_assets')
})

it('refuses file names that are not NNNN_name.sql', async () => {
  for (const bad of ['1_assets.sql', '0002-assets.sql', '0002_Assets.sql', '0002_x.txt']) {
    const dir = await fixture({ '0001_ok.sql': '', [bad]: '' })
    await expect(readMigrations(dir)).rejects.toThrow(`Not a migration file name in ${dir}: ${bad}`)
  }
})

it('refuses a number used twice', async () => {
  const dir = await fixture({ '0001_a.sql': '', '0001_b.sql': '', '0002_c.sql': '' })
  await expect(readMigrations(dir)).rejects.toThrow('Migration numbers used twice')
  await expect(readMigrations(dir)).rejects.toThrow(': 0001')
})

describeWithDatabases('runMigrations', (target) => {
  let database: Database

  beforeEach(async () => {
    database = await target.open({ migrate: false })
  })

  afterEach(async () => {
    await database.close()
  })

  it('applies every migration in order, and none on a second run', async () => {
    const all = (await readMigrations(migrationsDirectory)).map((m) => m.name)
    const first = await runMigrations(database.sql, { directory: migrationsDirectory })
    expect(first.applied).toEqual(all)
    expect(await recorded(database)).toEqual(all)
    const second = await runMigrations(database.sql, { directory: migrationsDirectory })
    expect(second.applied).toEqual([])
    const [row] = await database.sql<{ count: bigint }[]>`select count(*) as count from assets`
    expect(row?.count).toBe(0n)
  })

  it('applies only the files added since the last run, in numeric order', async () => {
    const dir = await fixture({
      '0001_a.sql': 'CREATE TABLE a (id int);',
      '0009_b.sql': 'ALTER TABLE a ADD COLUMN b int;',
    })
    expect((await runMigrations(database.sql, { directory: dir })).applied).toEqual([
      '0001_a',
      '0009_b',
    ])
    // 0010 sorts before 0009 as text: it must still run after it.
    await writeFile(`${dir}/0010_c.sql`, 'ALTER TABLE a RENAME COLUMN b TO c;')
    const { applied } = await runMigrations(database.sql, { directory: new URL(`file://${dir}`) })
    expect(applied).toEqual(['0010_c'])
    await database.sql`insert into a (id, c) values (1, 2)`
  })

  it('rolls a failing migration back, records nothing for it, and retries it next time', async () => {
    const dir = await fixture({
      '0001_a.sql': 'CREATE TABLE a (id int);',
      '0002_b.sql': 'CREATE TABLE b (id int); SELECT 1 / 0;',
    })
    await expect(runMigrations(database.sql, { directory: dir })).rejects.toThrow(
      'Migration 0002_b failed and was rolled back: division by zero',
    )
    expect(await recorded(database)).toEqual(['0001_a'])
    const [table] = await database.sql`select to_regclass('b') as b`
    expect(table?.['b']).toBeNull()
    await writeFile(`${dir}/0002_b.sql`, 'CREATE TABLE b (id int);')
    expect((await runMigrations(database.sql, { directory: dir })).applied).toEqual(['0002_b'])
  })

  it('refuses to run when a recorded migration has no file any more', async () => {
    const dir = await fixture({ '0001_a.sql': 'SELECT 1;', '0002_b.sql': 'SELECT 2;' })
    await runMigrations(database.sql, { directory: dir })
    await unlink(`${dir}/0002_b.sql`)
    await writeFile(`${dir}/0003_c.sql`, 'CREATE TABLE c (id int);')
    await expect(runMigrations(database.sql, { directory: dir })).rejects.toThrow(
      'Migration(s) 0002_b are recorded in schema_migrations but have no file',
    )
    const [table] = await database.sql`select to_regclass('c') as c`
    expect(table?.['c']).toBeNull()
  })

  it('refuses a bad file name before touching the database', async () => {
    const dir = await fixture({ '0001_a.sql': 'SELECT 1;', 'V2__b.sql': 'SELECT 2;' })
    await expect(runMigrations(database.sql, { directory: dir })).rejects.toThrow('V2__b.sql')
    const [table] = await database.sql`select to_regclass('schema_migrations') as t`
    expect(table?.['t']).toBeNull()
  })

  it('logs each migration it applies', async () => {
    const dir = await fixture({ '0001_a.sql': 'SELECT 1;' })
    const lines: { fields: object; message: string }[] = []
    const logger = { info: (fields: object, message: string) => lines.push({ fields, message }) }
    await runMigrations(database.sql, { directory: dir, logger })
    expect(lines[0]).toEqual({
      fields: { migration: '0001_a', durationMs: expect.any(Number) },
      message: 'applied migration',
    })
  })

  it('takes turns when called twice at once on one client', async () => {
    const dir = await fixture(slowFixture)
    const results = await Promise.all([
      runMigrations(database.sql, { directory: dir }),
      runMigrations(database.sql, { directory: dir }),
    ])
    expect(results.flatMap((result) => result.applied).sort()).toEqual(slowFixtureNames)
    expect(await recorded(database)).toEqual(slowFixtureNames)
    // The session lock is released: the client still works, and a third run has nothing to do.
    expect((await runMigrations(database.sql, { directory: dir })).applied).toEqual([])
  })
})

type ChildResult = { applied: string[]; startedAt: number; finishedAt: number }

function runChild(url: string, directory: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, url, directory], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`migrate-process exited ${code}: ${stderr}`))
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildResult)
    })
  })
}

describeWithPostgres('runMigrations from several clients on one database', () => {
  it('two OS processes booting at once both succeed and apply each migration once', async () => {
    const database = await freshPostgres()
    const url = database.url
    try {
      const dir = await fixture(slowFixture)
      const [a, b] = await Promise.all([runChild(url, dir), runChild(url, dir)])
      expect([...a.applied, ...b.applied].sort()).toEqual(slowFixtureNames)
      const [winner, waiter] = a.applied.length > 0 ? [a, b] : [b, a]
      expect(winner.applied).toEqual(slowFixtureNames)
      expect(waiter.applied).toEqual([])
      // The waiter had started before the winner finished: the runs did overlap.
      expect(waiter.startedAt).toBeLessThan(winner.finishedAt)
      expect(await recorded(database)).toEqual(slowFixtureNames)
    } finally {
      await database.close()
    }
  }, 60_000)

  it('two OS processes apply the real migrations once', async () => {
    const database = await freshPostgres()
    const url = database.url
    try {
      const directory = fileURLToPath(migrationsDirectory)
      const [a, b] = await Promise.all([runChild(url, directory), runChild(url, directory)])
      const all = (await readMigrations(migrationsDirectory)).map((m) => m.name)
      expect([...a.applied, ...b.applied].sort()).toEqual(all)
      expect(await recorded(database)).toEqual(all)
    } finally {
      await database.close()
    }
  }, 60_000)

  it('two postgres.js clients in one process take turns', async () => {
    const database = await freshPostgres()
    const other = await openDatabase({ kind: 'postgres', url: database.url }, clientOptions)
    try {
      const dir = await fixture(slowFixture)
      const results = await Promise.all([
        runMigrations(database.sql, { directory: dir }),
        runMigrations(other.sql, { directory: dir }),
      ])
      const applied = results.map((result) => result.applied)
      expect(applied).toContainEqual(slowFixtureNames)
      expect(applied).toContainEqual([])
    } finally {
      await other.close()
      await database.close()
    }
  })

  it('gives up with a clear error after lockWaitMs while another process migrates', async () => {
    const database = await freshPostgres()
    const other = await openDatabase({ kind: 'postgres', url: database.url }, clientOptions)
    try {
      const dir = await fixture(slowFixture)
      const slow = runMigrations(database.sql, { directory: dir })
      await new Promise((resolve) => setTimeout(resolve, 300))
      await expect(runMigrations(other.sql, { directory: dir, lockWaitMs: 200 })).rejects.toThrow(
        'Waited 200 ms for the migration lock: another process is still migrating this database',
      )
      expect((await slow).applied).toEqual(slowFixtureNames)
    } finally {
      await other.close()
      await database.close()
    }
  })
})

async function freshPostgres(): Promise<TestPostgres> {
  const database = await openTestPostgres({ migrate: false })
  if (database === undefined) throw new Error(realPostgresSkipMessage)
  return database
}
