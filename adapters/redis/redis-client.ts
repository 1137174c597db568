import { readFile } from 'node:fs/promises'
import type { ConnectionOptions } from 'node:tls'
import { Redis } from 'ioredis'

export type { Redis } from 'ioredis'

export type OpenRedisOptions = {
  readonly url: string
  /** Paths of PEM files (REDIS_TLS_*_FILE_PATH); any of them turns TLS on, as rediss:// does. */
  readonly tlsCaFile?: string
  readonly tlsCertFile?: string
  readonly tlsKeyFile?: string
  /** Boot fails if Redis is not ready within this time, retries included. */
  readonly connectTimeoutMs: number
  /** A command without a reply within this time fails instead of hanging its caller. */
  readonly commandTimeoutMs?: number
  readonly keyPrefix?: string
}

const commandTimeoutMsDefault = 5_000
const reconnectDelayMsMax = 2_000
// How often a command is retried across reconnects before it fails; locks and caches prefer a
// prompt error to a request that waits out an outage.
const retriesPerRequestMax = 1

// Connects and waits until Redis answers, or fails within connectTimeoutMs with an Error that
// names REDIS_URL and host:port (never the password). After boot, ioredis reconnects by itself.
export async function openRedis(options: OpenRedisOptions): Promise<Redis> {
  const target = parseRedisUrl(options.url)
  const tls = await readTlsOptions(options, target.tls)
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? commandTimeoutMsDefault,
    maxRetriesPerRequest: retriesPerRequestMax,
    // Commands issued while disconnected fail at once rather than piling up in memory.
    enableOfflineQueue: false,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(50 * 2 ** (attempt - 1), reconnectDelayMsMax),
    // RESP2 is spoken by every Redis-compatible server and proxy; nothing here needs RESP3.
    protocol: 2,
    ...(tls === undefined ? {} : { tls }),
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
  })
  await connectWithin(redis, options.connectTimeoutMs, target.hostPort)
  return redis
}

// Waits for pending replies; falls back to dropping the socket if Redis does not answer.
export async function closeRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'end') return
  if (redis.status !== 'ready') {
    redis.disconnect()
    return
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    const outcome = await Promise.race([redis.quit(), timedOut])
    if (outcome === 'timeout') redis.disconnect()
  } catch {
    redis.disconnect()
  } finally {
    clearTimeout(timer)
  }
}

type RedisTarget = { readonly hostPort: string; readonly tls: boolean }

function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error('REDIS_URL is not a valid URL; expected redis://host:port or rediss://...')
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL has scheme ${parsed.protocol}; expected redis:// or rediss://`)
  }
  const tls = parsed.protocol === 'rediss:'
  const port = parsed.port === '' ? '6379' : parsed.port
  return { hostPort: `${parsed.hostname}:${port}`, tls }
}

async function readTlsOptions(
  options: OpenRedisOptions,
  tlsByScheme: boolean,
): Promise<ConnectionOptions | undefined> {
  const [ca, cert, key] = await Promise.all([
    readPem(options.tlsCaFile, 'REDIS_TLS_CA_FILE_PATH'),
    readPem(options.tlsCertFile, 'REDIS_TLS_CERT_FILE_PATH'),
    readPem(options.tlsKeyFile, 'REDIS_TLS_KEY_FILE_PATH'),
  ])
  if (!tlsByScheme && ca === undefined && cert === undefined && key === undefined) return undefined
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  }
}

async function readPem(path: string | undefined, variable: string): Promise<string | undefined> {
  if (path === undefined) return undefined
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`${variable}: cannot read ${path}: ${describeError(error)}`, { cause: error })
  }
}

async function connectWithin(redis: Redis, timeoutMs: number, hostPort: string): Promise<void> {
  let lastError: unknown
  let connectError: unknown
  // A socket error (with a code such as ECONNREFUSED) says more than the command failures it causes.
  const rememberError = (error: unknown) => {
    if (lastError === undefined || hasCode(error) || !hasCode(lastError)) lastError = error
  }
  let onReady = () => {}
  let timer: ReturnType<typeof setTimeout> | undefined
  // Without an error listener ioredis prints every failed attempt; the last one goes in our Error.
  redis.on('error', rememberError)
  try {
    await new Promise<void>((resolve, reject) => {
      onReady = resolve
      redis.once('ready', onReady)
      timer = setTimeout(reject, timeoutMs)
      // A refused first attempt rejects connect() with a bare "Connection is closed"; ioredis's
      // retryStrategy keeps trying until the timer fires, so a Redis starting late is still reached.
      redis.connect().catch((error: unknown) => {
        connectError = error
      })
    })
  } catch {
    // Errors may still arrive from the dropped socket; a listener keeps ioredis from printing them.
    redis.on('error', () => {})
    redis.disconnect()
    const cause = lastError ?? connectError
    const reason = cause === undefined ? noReplyHint : describeError(cause)
    throw new Error(
      `REDIS_URL: cannot connect to Redis at ${hostPort} within ${timeoutMs} ms (${reason})`,
      { cause },
    )
  } finally {
    clearTimeout(timer)
    redis.off('ready', onReady)
    redis.off('error', rememberError)
  }
}

const noReplyHint = 'no reply; check the host, the port and whether the server expects TLS'

function hasCode(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string'
}

// Node's happy-eyeballs connect reports an AggregateError whose message is empty; its code is not.
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  if (error.message !== '') return error.message
  return typeof code === 'string' ? code : error.name
}
