// Boot shared by the Node, Bun and Deno entries: they differ only in how they serve HTTP.
import { openDatabase, type Database } from '../adapters/postgres/database.ts'
import { migrationsDirectory, runMigrations } from '../adapters/postgres/migrations.ts'
import { makePinoLogger } from '../adapters/logging/pino-logger.ts'
import { makeMemoryCache } from '../adapters/memory/memory-cache.ts'
import { makeMemoryLocks } from '../adapters/memory/memory-locks.ts'
import { makeRedisCache } from '../adapters/redis/redis-cache.ts'
import { closeRedis, openRedis } from '../adapters/redis/redis-client.ts'
import { makeRedisLocks } from '../adapters/redis/redis-locks.ts'
import { randomIds } from '../adapters/system/random-ids.ts'
import { systemClock } from '../adapters/system/system-clock.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { Locks } from '../application/ports/lock.ts'
import type { Logger } from '../application/ports/logger.ts'
import { compose, tokens } from './compose.ts'
import { loadConfig, type Config } from './config.ts'
import type { RunningServer, Serve } from './serve.ts'

const databaseConnectTimeoutSeconds = 10
const redisConnectTimeoutMs = 5_000
const databasePoolMax = 20

export type Node = {
  readonly ports: {
    readonly admin: number
    readonly openPayments: number
    readonly connector: number
  }
  /** Stops accepting, finishes in-flight requests, closes pools. */
  stop(): Promise<void>
}

type Shared = { cache: Cache; locks: Locks; close(): Promise<void>; description: string }

async function openShared(config: Config, logger: Logger): Promise<Shared> {
  if (config.REDIS_URL === undefined) {
    logger.warn({}, 'REDIS_URL is unset: cache and locks are in process, for one process only')
    return {
      cache: makeMemoryCache(systemClock),
      locks: makeMemoryLocks(systemClock),
      close: async () => {},
      description: 'memory',
    }
  }
  const redis = await openRedis({
    url: config.REDIS_URL,
    connectTimeoutMs: redisConnectTimeoutMs,
    ...(config.REDIS_TLS_CA_FILE_PATH && { tlsCaFile: config.REDIS_TLS_CA_FILE_PATH }),
    ...(config.REDIS_TLS_CERT_FILE_PATH && { tlsCertFile: config.REDIS_TLS_CERT_FILE_PATH }),
    ...(config.REDIS_TLS_KEY_FILE_PATH && { tlsKeyFile: config.REDIS_TLS_KEY_FILE_PATH }),
  })
  // After boot a lost connection is logged; commands fail fast until ioredis reconnects.
  redis.on('error', (error: unknown) => logger.error({ err: error }, 'redis connection error'))
  return {
    cache: makeRedisCache(redis),
    locks: makeRedisLocks(redis),
    close: () => closeRedis(redis),
    description: 'redis',
  }
}

async function openStorage(config: Config, logger: Logger): Promise<Database> {
  const database = await openDatabase(config.database, {
    poolMax: config.database.kind === 'pglite' ? 1 : databasePoolMax,
    connectTimeoutSeconds: databaseConnectTimeoutSeconds,
  })
  if (config.ENABLE_MANUAL_MIGRATIONS) {
    logger.info({}, 'ENABLE_MANUAL_MIGRATIONS=true: not migrating at boot (npm run migrate)')
  } else {
    await runMigrations(database.sql, { directory: migrationsDirectory, logger })
  }
  return database
}

/** Boots the node from an environment; throws on any failure after logging it. */
export async function bootNode(
  env: Record<string, string | undefined>,
  serve: Serve,
): Promise<Node> {
  const started = performance.now()
  const loaded = loadConfig(env)
  if (!loaded.ok) throw new ConfigError(loaded.message)
  const config = loaded.config
  const logger = makePinoLogger(config.LOG_LEVEL)
  const database = await openStorage(config, logger)
  const shared = await openShared(config, logger).catch(async (error: unknown) => {
    await database.close()
    throw error
  })
  const graph = compose({
    config,
    logger,
    clock: systemClock,
    ids: randomIds,
    cache: shared.cache,
    locks: shared.locks,
    sql: database.sql,
  })
  const hostname = config.BIND_ADDRESS
  const servers: RunningServer[] = []
  try {
    servers.push(await serve(graph.get(tokens.adminApp), { port: config.ADMIN_PORT, hostname }))
    servers.push(
      await serve(graph.get(tokens.openPaymentsApp), { port: config.OPEN_PAYMENTS_PORT, hostname }),
    )
    servers.push(
      await serve(graph.get(tokens.connectorApp), { port: config.CONNECTOR_PORT, hostname }),
    )
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()))
    await Promise.all([database.close(), shared.close()])
    throw error
  }
  const [admin, openPayments, connector] = servers.map((server) => server.port) as [
    number,
    number,
    number,
  ]
  logger.info(
    {
      ports: { admin, openPayments, connector },
      hostname,
      database: config.database.kind,
      cache: shared.description,
      bootMs: Math.round(performance.now() - started),
    },
    'ready',
  )
  return {
    ports: { admin, openPayments, connector },
    async stop() {
      await Promise.all(servers.map((server) => server.close()))
      await Promise.all([database.close(), shared.close()])
      logger.info({}, 'stopped')
      logger.flush()
    },
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}
