// PGlite is Postgres compiled to WebAssembly, running in this process with a single session. We
// put its wire-protocol socket server in front of it so that every query goes through postgres.js
// exactly as it would to a real server: one SQL dialect, one client, one set of repositories.
import { mkdir, stat } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { assert } from '../../domain/shared/assert.ts'
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts'

export type PgliteServer = {
  readonly host: string
  readonly port: number
  /** Stops the socket server, then closes PGlite (flushing a file-backed database). */
  stop(): Promise<void>
}

export type PgliteServerOptions = {
  /** A tarball from PGlite's `dumpDataDir()`: a new database starts from it instead of initdb. */
  readonly template?: Blob
}

const host = '127.0.0.1'

/** Starts PGlite on `dataDir` ('memory' for a throwaway one) behind a socket on a free port. */
export async function startPgliteServer(
  dataDir: string,
  options: PgliteServerOptions = {},
): Promise<PgliteServer> {
  const inMemory = dataDir === 'memory'
  let lock: DataDirLock | undefined
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true })
    lock = await lockDataDir(dataDir)
  }
  try {
    return await startLocked(dataDir, inMemory, options, lock)
  } catch (error) {
    await lock?.release()
    throw error
  }
}

async function startLocked(
  dataDir: string,
  inMemory: boolean,
  options: PgliteServerOptions,
  lock: DataDirLock | undefined,
): Promise<PgliteServer> {
  // PGlite refuses to load a tarball over an existing database, so the template is for new ones.
  const useTemplate = options.template !== undefined && (inMemory || !(await hasDatabase(dataDir)))
  const db = await PGlite.create(
    inMemory ? 'memory://' : dataDir,
    useTemplate && options.template ? { loadDataDir: options.template } : {},
  )
  // One connection, no multiplexing: PGlite has one session, so a second client's statements
  // would land inside the first one's transaction.
  const server = new PGLiteSocketServer({ db, host, port: 0, maxConnections: 1 })
  try {
    await server.start()
  } catch (error) {
    await db.close()
    throw error
  }
  return {
    host,
    port: listeningPort(server),
    async stop() {
      await server.stop()
      await db.close()
      await lock?.release()
    },
  }
}

async function hasDatabase(dataDir: string): Promise<boolean> {
  try {
    await stat(`${dataDir}/PG_VERSION`)
    return true
  } catch {
    return false
  }
}

function listeningPort(server: PGLiteSocketServer): number {
  // getServerConn() is "host:port" once listening on a TCP port.
  const port = Number(server.getServerConn().split(':').pop())
  assert(Number.isInteger(port) && port > 0, `no port in "${server.getServerConn()}"`)
  return port
}
