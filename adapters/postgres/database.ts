// Opens the one SQL client the node uses: postgres.js, talking either to a real PostgreSQL server
// or to embedded PGlite through its socket server. Everything above this file sees the same Sql.
import postgres from 'postgres'
import { startPgliteServer, type PgliteServer } from './pglite-server.ts'

export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string | 'memory' }

/** postgres.js with int8 parsed as bigint; assignable to postgres.js' own `Sql`. */
export type Sql = postgres.Sql<{ bigint: bigint }>

export interface Database {
  readonly sql: Sql
  /**
   * Real Postgres only: a small second pool whose commits do not wait for the WAL flush
   * (synchronous_commit off). What it commits becomes durable with the next commit of `sql`,
   * or is lost in a crash: only for writes whose loss is harmless (see the ledger's deferred
   * transfers).
   */
  readonly deferredSql?: Sql
  readonly kind: 'postgres' | 'pglite'
  /** Waits up to closeTimeoutSeconds for running queries, then closes; safe to call twice. */
  close(): Promise<void>
}

export type DatabaseOptions = {
  /** Pool size for real Postgres; PGlite always gets exactly one connection. */
  readonly poolMax: number
  readonly connectTimeoutSeconds: number
  /** Real Postgres only: an idle pooled connection is closed after this long. Default 30. */
  readonly idleTimeoutSeconds?: number
  /** Server notices (e.g. "already exists, skipping") are dropped unless this is given. */
  readonly onNotice?: (notice: postgres.Notice) => void
  /** PGlite only: a `dumpDataDir()` tarball a new database starts from instead of initdb. */
  readonly pgliteTemplate?: Blob
}

const closeTimeoutSeconds = 5
const idleTimeoutSecondsDefault = 30
const applicationName = 'ilp-node'

export async function openDatabase(
  target: DatabaseTarget,
  options: DatabaseOptions,
): Promise<Database> {
  return target.kind === 'postgres'
    ? openPostgres(target.url, options)
    : openPglite(target.dataDir, options)
}

function clientOptions(options: DatabaseOptions) {
  return {
    connect_timeout: options.connectTimeoutSeconds,
    onnotice: options.onNotice ?? (() => {}),
    types: { bigint: postgres.BigInt },
    connection: { application_name: applicationName },
  }
}

/**
 * libpq's `?host=/var/run/postgresql` (a Unix-domain socket directory), which postgres.js does not
 * read from a URL: the URL without it, and the socket path. A local server is cheaper to reach
 * through its socket than through TCP on loopback.
 */
export function unixSocket(url: string): { readonly url: string; readonly path?: string } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { url }
  }
  const directory = parsed.searchParams.get('host')
  if (directory === null || !directory.startsWith('/')) return { url }
  parsed.searchParams.delete('host')
  const port = parsed.port || '5432'
  return { url: parsed.href, path: `${directory.replace(/\/+$/, '')}/.s.PGSQL.${port}` }
}

async function openPostgres(givenUrl: string, options: DatabaseOptions): Promise<Database> {
  const { url, path } = unixSocket(givenUrl)
  const socket = path === undefined ? {} : { path }
  let sql: Sql
  try {
    sql = postgres(url, {
      ...clientOptions(options),
      ...socket,
      max: options.poolMax,
      idle_timeout: options.idleTimeoutSeconds ?? idleTimeoutSecondsDefault,
    })
  } catch (error) {
    // Never echo the URL itself: it may carry a password.
    throw new Error(`DATABASE_URL is not a usable PostgreSQL URL: ${describeError(error)}`, {
      cause: error,
    })
  }
  try {
    await firstQuery(sql, options.connectTimeoutSeconds)
  } catch (error) {
    await sql.end({ timeout: 0 })
    throw new Error(
      `Cannot connect to the database at DATABASE_URL (${serverOf(sql)}) within ` +
        `${options.connectTimeoutSeconds} s: ${describeError(error)}`,
      { cause: error },
    )
  }
  const deferredSql: Sql = postgres(url, {
    ...clientOptions(options),
    ...socket,
    max: Math.max(2, Math.ceil(options.poolMax / 4)),
    idle_timeout: options.idleTimeoutSeconds ?? idleTimeoutSecondsDefault,
    connection: { application_name: applicationName, synchronous_commit: 'off' },
  })
  const close = once(async () => {
    await Promise.all([
      sql.end({ timeout: closeTimeoutSeconds }),
      deferredSql.end({ timeout: closeTimeoutSeconds }),
    ])
  })
  return { sql, deferredSql, kind: 'postgres', close }
}

async function openPglite(dataDir: string, options: DatabaseOptions): Promise<Database> {
  const where = `DATABASE_URL=pglite://${dataDir}`
  let server: PgliteServer
  try {
    server = await startPgliteServer(
      dataDir,
      options.pgliteTemplate ? { template: options.pgliteTemplate } : {},
    )
  } catch (error) {
    throw new Error(`Cannot open the embedded database (${where}): ${describeError(error)}`, {
      cause: error,
    })
  }
  // max: 1 because PGlite is one session; idle and lifetime limits off because a reconnect would
  // only churn the in-process socket (and the session, with its state, survives it anyway).
  const sql = postgres({
    ...clientOptions(options),
    host: server.host,
    port: server.port,
    user: 'postgres',
    pass: '',
    database: 'postgres',
    max: 1,
    max_lifetime: null,
  })
  try {
    await firstQuery(sql, options.connectTimeoutSeconds)
  } catch (error) {
    await sql.end({ timeout: 0 })
    await server.stop()
    throw new Error(`Cannot query the embedded database (${where}): ${describeError(error)}`, {
      cause: error,
    })
  }
  const close = async () => {
    await sql.end({ timeout: closeTimeoutSeconds })
    await server.stop()
  }
  return { sql, kind: 'pglite', close: once(close) }
}

/** `select 1`, bounded even if the server accepts the socket and then says nothing. */
async function firstQuery(sql: Sql, timeoutSeconds: number): Promise<void> {
  // postgres.js' connect_timeout covers the connection; one more second covers the query.
  const deadlineMs = (timeoutSeconds + 1) * 1000
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${deadlineMs} ms`)), deadlineMs)
  })
  try {
    await Promise.race([sql`select 1`, deadline])
  } finally {
    clearTimeout(timer)
  }
}

function serverOf(sql: Sql): string {
  const { host, port, path, database } = sql.options
  const hosts = path ? [path] : host.map((name, i) => `${name}:${port[i] ?? port[0] ?? 5432}`)
  return `${hosts.join(',')}/${database}`
}

function describeError(error: unknown): string {
  // Node reports a refused "localhost" (::1 and 127.0.0.1) as an AggregateError with no message.
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map(describeError).join('; ')
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    const prefix = typeof code === 'string' && !error.message.includes(code) ? `${code} ` : ''
    return `${prefix}${error.message}`
  }
  return String(error)
}

function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined
  return () => (closing ??= close())
}
