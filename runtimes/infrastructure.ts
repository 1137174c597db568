// Opening the clients the graph runs on, each chosen by configuration (ARCHITECTURE.md §2).
import { makePostgresLedger } from '../adapters/ledger-postgres/postgres-ledger.ts'
import { makeMemoryCache } from '../adapters/memory/memory-cache.ts'
import { makeMemoryLocks } from '../adapters/memory/memory-locks.ts'
import { openDatabase, type Database } from '../adapters/postgres/database.ts'
import {
  makePostgresWorkSignal,
  type PostgresWorkSignal,
} from '../adapters/postgres/postgres-work-signal.ts'
import { migrationsDirectory, runMigrations } from '../adapters/postgres/migrations.ts'
import { makeRedisCache } from '../adapters/redis/redis-cache.ts'
import { closeRedis, openRedis } from '../adapters/redis/redis-client.ts'
import { makeRedisLocks } from '../adapters/redis/redis-locks.ts'
import { systemClock } from '../adapters/system/system-clock.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { Ledger } from '../application/ports/ledger.ts'
import type { Locks } from '../application/ports/lock.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { Config, DatabaseTarget } from './config.ts'

const databaseConnectTimeoutSeconds = 10
const databasePoolMax = 20
const redisConnectTimeoutMs = 5_000
const tigerbeetleConnectTimeoutMs = 5_000

/** Opens and migrates the node's database, or another one (AUTH_DATABASE_URL) when given. */
export async function openStorage(
  config: Config,
  logger: Logger,
  target: DatabaseTarget = config.database,
): Promise<Database> {
  const database = await openDatabase(target, {
    poolMax: target.kind === 'pglite' ? 1 : databasePoolMax,
    connectTimeoutSeconds: databaseConnectTimeoutSeconds,
  })
  try {
    if (config.ENABLE_MANUAL_MIGRATIONS) {
      logger.info({}, 'ENABLE_MANUAL_MIGRATIONS=true: not migrating at boot (npm run migrate)')
    } else {
      await runMigrations(database.sql, { directory: migrationsDirectory, logger })
    }
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}

export type Shared = {
  readonly cache: Cache
  readonly locks: Locks
  readonly description: 'memory' | 'redis'
  close(): Promise<void>
}

export async function openShared(config: Config, logger: Logger): Promise<Shared> {
  if (config.REDIS_URL === undefined) {
    logger.warn({}, 'REDIS_URL is unset: cache and locks are in process, for one process only')
    return {
      cache: makeMemoryCache(systemClock),
      locks: makeMemoryLocks(systemClock),
      description: 'memory',
      close: async () => {},
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
    description: 'redis',
    close: () => closeRedis(redis),
  }
}

export type OpenedLedger = { readonly ledger: Ledger; readonly description: string }

export async function openLedger(
  config: Config,
  database: Database,
  logger: Logger,
): Promise<OpenedLedger> {
  if (!config.useTigerbeetle) {
    const ledger = makePostgresLedger(database.sql, {
      logger,
      ...(database.deferredSql && { deferredSql: database.deferredSql }),
    })
    return { ledger, description: 'postgres' }
  }
  // Loaded only when chosen: the native client costs boot time everywhere else.
  const { connectTigerbeetle, makeTigerbeetleLedger } =
    await import('../adapters/ledger-tigerbeetle/tigerbeetle-ledger.ts')
  const client = await connectTigerbeetle({
    clusterId: BigInt(config.TIGERBEETLE_CLUSTER_ID),
    replicaAddresses: config.TIGERBEETLE_REPLICA_ADDRESSES,
    connectTimeoutMs: tigerbeetleConnectTimeoutMs,
  })
  logger.info({ replicas: config.TIGERBEETLE_REPLICA_ADDRESSES }, 'connected to TigerBeetle')
  return { ledger: makeTigerbeetleLedger(client, {}), description: 'tigerbeetle' }
}

/** Wakes workers when work is enqueued: in process, and across replicas by LISTEN/NOTIFY. */
export async function openWorkSignal(
  database: Database,
  logger: Logger,
): Promise<PostgresWorkSignal> {
  const signal = makePostgresWorkSignal({ database, logger })
  await signal.ready()
  return signal
}
