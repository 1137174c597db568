import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { describeWithDatabases } from '../../test/support/databases.ts'
import { openDatabase, unixSocket, type Database } from './database.ts'

const options = { poolMax: 2, connectTimeoutSeconds: 1 }
const u64Max = 2n ** 64n - 1n
const int8Max = 2n ** 63n - 1n
const int8Min = -(2n ** 63n)

describe('openDatabase', () => {
  it('starts in-memory PGlite with initdb when there is no template', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: 'memory' }, options)
    try {
      expect(database.kind).toBe('pglite')
      const [row] = await database.sql<{ one: number }[]>`select 1 as one`
      expect(row?.one).toBe(1)
    } finally {
      await database.close()
    }
  })

  it('creates a PGlite data directory and finds its data there after a restart', async () => {
    const root = await mkdtemp(`${tmpdir()}/ilp-node-pglite-`)
    const dataDir = `${root}/nested/pglite`
    const path = inject('pgliteTemplate')
    const template = path ? { pgliteTemplate: new Blob([await readFile(path)]) } : {}
    try {
      const first = await openDatabase({ kind: 'pglite', dataDir }, { ...options, ...template })
      await first.sql`create table kept (n int8)`
      await first.sql`insert into kept values (${int8Max})`
      await first.close()
      // The template only seeds new databases: an existing one is opened as it is.
      const second = await openDatabase({ kind: 'pglite', dataDir }, { ...options, ...template })
      const rows = await second.sql<{ n: bigint }[]>`select n from kept`
      expect(rows.map((row) => row.n)).toEqual([int8Max])
      await second.close()
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('fails fast, naming DATABASE_URL and the server, when nothing listens', async () => {
    const startedMs = performance.now()
    const opening = openDatabase(
      { kind: 'postgres', url: 'postgres://me:secret@127.0.0.1:1/db' },
      options,
    )
    const error = await opening.then(
      () => undefined,
      (reason: unknown) => reason as Error,
    )
    expect(error?.message).toMatch(
      /^Cannot connect to the database at DATABASE_URL \(127\.0\.0\.1:1\/db\) within 1 s: .*ECONNREFUSED/,
    )
    expect(error?.message).not.toContain('secret')
    expect(performance.now() - startedMs).toBeLessThan(2_000)
  })

  it('reads libpq’s ?host=<socket directory> and connects through that Unix socket', async () => {
    expect(unixSocket('postgres://u@localhost:6000/db?host=/run/pg/&sslmode=disable')).toEqual({
      url: 'postgres://u@localhost:6000/db?sslmode=disable',
      path: '/run/pg/.s.PGSQL.6000',
    })
    expect(unixSocket('postgres://u@localhost/db?host=/run/pg').path).toBe('/run/pg/.s.PGSQL.5432')
    expect(unixSocket('postgres://u@db.example/db')).toEqual({ url: 'postgres://u@db.example/db' })
    const error = await openDatabase(
      { kind: 'postgres', url: 'postgres://me@localhost/db?host=/nonexistent-dir' },
      options,
    ).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    )
    expect(error?.message).toContain('(/nonexistent-dir/.s.PGSQL.5432/db)')
    expect(error?.message).toMatch(/ENOENT/)
  })

  describe('against a server that accepts connections and never answers', () => {
    let server: Server
    const sockets: Socket[] = []

    beforeAll(async () => {
      server = createServer((socket) => sockets.push(socket))
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    })

    afterAll(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    })

    it('gives up within connectTimeoutSeconds instead of hanging', async () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      const startedMs = performance.now()
      const url = `postgres://me@127.0.0.1:${port}/db`
      await expect(openDatabase({ kind: 'postgres', url }, options)).rejects.toThrow(
        `Cannot connect to the database at DATABASE_URL (127.0.0.1:${port}/db) within 1 s`,
      )
      expect(performance.now() - startedMs).toBeLessThan(2_500)
    })
  })
})

describeWithDatabases('a Database', (target) => {
  let database: Database

  beforeAll(async () => {
    database = await target.open({ migrate: false })
  })

  afterAll(async () => {
    await database.close()
    await database.close()
  })

  it('says which kind it is', () => {
    expect(database.kind).toBe(target.name)
  })

  it('parses int8 as bigint and sends bigint as int8', async () => {
    const [row] = await database.sql<{ max: bigint; min: bigint; count: bigint }[]>`
      select ${int8Max}::int8 as max, ${int8Min}::int8 as min, count(*) as count`
    expect(row).toEqual({ max: int8Max, min: int8Min, count: 1n })
  })

  it('returns numeric(20, 0) as a string, which repositories parse', async () => {
    await database.sql`create table if not exists amounts (amount numeric(20, 0))`
    // A bigint parameter is sent as int8, too small for u64: numeric values go as text.
    await database.sql`insert into amounts values (${u64Max.toString()})`
    const [row] = await database.sql<{ amount: string }[]>`select amount from amounts`
    expect(row?.amount).toBe('18446744073709551615')
    expect(BigInt(row?.amount ?? '')).toBe(u64Max)
  })

  it('commits sql.begin and rolls it back when the callback throws', async () => {
    await database.sql`create table if not exists things (id int primary key)`
    await database.sql.begin(async (tx) => {
      await tx`insert into things values (1)`
    })
    const failing = database.sql.begin(async (tx) => {
      await tx`insert into things values (2)`
      throw new Error('changed my mind')
    })
    await expect(failing).rejects.toThrow('changed my mind')
    const rows = await database.sql<{ id: number }[]>`select id from things order by id`
    expect(rows.map((row) => row.id)).toEqual([1])
  })

  it('keeps an open transaction invisible to other queries on the client', async () => {
    await database.sql`create table if not exists pending (id int)`
    let inserted: () => void = () => {}
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve))
    const transaction = database.sql.begin(async (tx) => {
      await tx`insert into pending values (1)`
      inserted()
      await new Promise((resolve) => setTimeout(resolve, 200))
      throw new Error('roll back')
    })
    const rolledBack = expect(transaction).rejects.toThrow('roll back')
    await insertedSignal
    // On PGlite this waits for the only connection; on Postgres it runs beside the transaction.
    const [row] = await database.sql<{ count: bigint }[]>`select count(*) as count from pending`
    expect(row?.count).toBe(0n)
    await rolledBack
  })

  it('reserves a connection that keeps its session, and releases it', async () => {
    const reserved = await database.sql.reserve()
    try {
      await reserved`select set_config('ilp_node.test', 'kept', false)`
      const [row] = await reserved<{ value: string }[]>`
        select current_setting('ilp_node.test') as value`
      expect(row?.value).toBe('kept')
    } finally {
      reserved.release()
    }
    const [row] = await database.sql<{ one: number }[]>`select 1 as one`
    expect(row?.one).toBe(1)
  })
})
