// The one place that reads configuration: every variable of Rafiki's backend (../shared/COMPAT.md)
// with its default, parsed once at boot. A bad value stops boot with one message listing them all.
import * as v from 'valibot'
import type { DatabaseTarget } from '../adapters/postgres/database.ts'
import {
  addressList,
  base64Bytes,
  bool,
  databaseUrl,
  fraction,
  httpUrl,
  ilpAddress,
  int,
  optionalHttpUrl,
  optionalInt,
  picklist,
  port,
  redisUrl,
  text,
} from './config-fields.ts'

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const envSchema = v.object({
  NODE_ENV: picklist(['development', 'production', 'test'], 'development'),
  LOG_LEVEL: picklist(logLevels, 'info'),
  BIND_ADDRESS: v.optional(v.string(), '::'),
  ADMIN_PORT: port(3001),
  CONNECTOR_PORT: port(3002),
  OPEN_PAYMENTS_PORT: port(3003),
  AUTO_PEERING_SERVER_PORT: port(3005),
  // Storage
  DATABASE_URL: databaseUrl(),
  REDIS_URL: redisUrl(),
  REDIS_TLS_CA_FILE_PATH: text(),
  REDIS_TLS_CERT_FILE_PATH: text(),
  REDIS_TLS_KEY_FILE_PATH: text(),
  USE_TIGERBEETLE: v.optional(v.picklist(['true', 'false'], 'true or false')),
  TIGERBEETLE_CLUSTER_ID: int(0),
  TIGERBEETLE_REPLICA_ADDRESSES: addressList('3004'),
  TIGERBEETLE_TWO_PHASE_TIMEOUT_SECONDS: int(5, 1),
  ENABLE_MANUAL_MIGRATIONS: bool(false),
  // ILP
  ILP_ADDRESS: ilpAddress(),
  STREAM_SECRET: base64Bytes(32),
  SLIPPAGE: fraction(0.01),
  EXCHANGE_RATES_URL: optionalHttpUrl(),
  EXCHANGE_RATES_LIFETIME: int(15_000),
  QUOTE_LIFESPAN: int(300_000, 1),
  ENABLE_SPSP_PAYMENT_POINTERS: bool(true),
  ENABLE_AUTO_PEERING: bool(false),
  ILP_CONNECTOR_URL: optionalHttpUrl(),
  INSTANCE_NAME: text(),
  // Open Payments
  OPEN_PAYMENTS_URL: optionalHttpUrl(),
  WALLET_ADDRESS_URL: v.optional(httpUrl(), 'http://127.0.0.1:3001/.well-known/pay'),
  KEY_ID: text(),
  PRIVATE_KEY_FILE: text(),
  AUTH_SERVER_GRANT_URL: optionalHttpUrl(),
  AUTH_SERVER_INTROSPECTION_URL: optionalHttpUrl(),
  INCOMING_PAYMENT_EXPIRY_MAX_MS: int(2_592_000_000, 1),
  WALLET_ADDRESS_LOOKUP_TIMEOUT_MS: int(1500),
  WALLET_ADDRESS_POLLING_FREQUENCY_MS: int(100, 1),
  WALLET_ADDRESS_NOT_FOUND_POLLING_ENABLED: bool(false),
  WALLET_ADDRESS_DEACTIVATION_PAYMENT_GRACE_PERIOD_MS: int(86_400_000),
  WALLET_ADDRESS_REDIRECT_HTML_PAGE: optionalHttpUrl(),
  TRUST_PROXY: bool(false),
  MAX_OUTGOING_PAYMENT_RETRY_ATTEMPTS: int(5),
  // Workers
  INCOMING_PAYMENT_WORKERS: int(1),
  INCOMING_PAYMENT_WORKER_IDLE: int(200, 1),
  OUTGOING_PAYMENT_WORKERS: int(4),
  OUTGOING_PAYMENT_WORKER_IDLE: int(200, 1),
  WALLET_ADDRESS_WORKERS: int(1),
  WALLET_ADDRESS_WORKER_IDLE: int(200, 1),
  WEBHOOK_WORKERS: int(1),
  WEBHOOK_WORKER_IDLE: int(200, 1),
  WITHDRAWAL_THROTTLE_DELAY: optionalInt(),
  // Webhooks
  WEBHOOK_URL: optionalHttpUrl(),
  WEBHOOK_TIMEOUT: int(2000, 1),
  WEBHOOK_MAX_RETRY: int(10),
  SIGNATURE_SECRET: text(),
  SIGNATURE_VERSION: int(1, 1),
  // Admin API
  GRAPHQL_IDEMPOTENCY_KEY_TTL_MS: int(86_400_000, 1),
  GRAPHQL_IDEMPOTENCY_KEY_LOCK_MS: int(2000, 1),
  API_SECRET: text(),
  API_SIGNATURE_VERSION: int(1, 1),
  ADMIN_API_SIGNATURE_TTL_SECONDS: int(30, 1),
  // Authorization server (Rafiki's separate auth service), embedded unless AUTH_SERVER_GRANT_URL
  // and AUTH_SERVER_INTROSPECTION_URL point at an external one.
  AUTH_DATABASE_URL: databaseUrl(),
  AUTH_SERVER_URL: optionalHttpUrl(),
  AUTH_PORT: port(3006),
  /** The auth admin GraphQL port of `npm run start:auth` (Rafiki's auth ADMIN_PORT). */
  AUTH_ADMIN_PORT: port(3003),
  INTROSPECTION_PORT: port(3007),
  INTERACTION_PORT: port(3009),
  IDENTITY_SERVER_URL: optionalHttpUrl(),
  IDENTITY_SERVER_SECRET: text(),
  COOKIE_KEY: text(),
  WAIT_SECONDS: int(5),
  INTERACTION_EXPIRY_SECONDS: int(600, 1),
  ACCESS_TOKEN_EXPIRY_SECONDS: int(600, 1),
  INTERACTION_COOKIE_SAME_SITE: v.optional(
    v.picklist(['lax', 'none', 'strict'], 'lax, none or strict'),
  ),
  INCOMING_PAYMENT_INTERACTION: bool(false),
  QUOTE_INTERACTION: bool(false),
  LIST_ALL_ACCESS_INTERACTION: bool(true),
  ACCESS_TOKEN_DELETION_DAYS: int(30),
  ADMIN_API_SECRET: text(),
  ADMIN_API_SIGNATURE_VERSION: int(1, 1),
})

type Env = v.InferOutput<typeof envSchema>

/** Rafiki requires these; we give them local defaults except with NODE_ENV=production. */
const requiredInProduction = [
  'OPEN_PAYMENTS_URL',
  'ILP_ADDRESS',
  'ILP_CONNECTOR_URL',
  'INSTANCE_NAME',
  'WEBHOOK_URL',
  'KEY_ID',
] as const satisfies readonly (keyof Env)[]

export type { DatabaseTarget }

/** The authorization server as this process sees it. */
export type AuthServerConfig = {
  /** No AUTH_SERVER_GRANT_URL / AUTH_SERVER_INTROSPECTION_URL: served by this node. */
  readonly embedded: boolean
  /** AUTH_SERVER_URL: the public base of the GNAP routes (continue, manage, interact URIs). */
  readonly url: string
  /** IDENTITY_SERVER_URL, or the built-in consent page on INTERACTION_PORT. */
  readonly identityServerUrl: string
  /** IDENTITY_SERVER_URL is unset: the built-in consent page is served. */
  readonly builtInConsent: boolean
}

type AuthUrls = 'AUTH_SERVER_GRANT_URL' | 'AUTH_SERVER_INTROSPECTION_URL'

export type Config = Omit<Env, (typeof requiredInProduction)[number] | AuthUrls> & {
  readonly OPEN_PAYMENTS_URL: string
  readonly ILP_ADDRESS: string
  readonly ILP_CONNECTOR_URL: string
  readonly INSTANCE_NAME: string
  readonly AUTH_SERVER_GRANT_URL: string
  readonly AUTH_SERVER_INTROSPECTION_URL: string
  /** Unset outside production: events stay in the outbox and are listed by webhookEvents. */
  readonly WEBHOOK_URL: string | undefined
  readonly KEY_ID: string
  readonly isProduction: boolean
  /** No DATABASE_URL: PGlite under ./data, in-process cache, Postgres ledger by default. */
  readonly embedded: boolean
  readonly database: DatabaseTarget
  readonly useTigerbeetle: boolean
  readonly authServer: AuthServerConfig
  /** AUTH_DATABASE_URL: the authorization server's own database, when it is not the node's. */
  readonly authDatabase: DatabaseTarget | undefined
}

export type ConfigResult =
  { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly message: string }

export const defaultPgliteDir = './data/pglite'

/** Where the built-in consent page is served on INTERACTION_PORT. */
export const builtInConsentPath = '/consent'

const describe = (name: string, value: string | undefined, expected: string): string =>
  `  ${name}=${value === undefined ? '(unset)' : JSON.stringify(value)}: expected ${expected}`

/** Parses the environment; empty strings count as unset. Never throws. */
export function loadConfig(rawEnv: Readonly<Record<string, string | undefined>>): ConfigResult {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(rawEnv)) {
    if (value !== undefined && value !== '') env[key] = value
  }
  const parsed = v.safeParse(envSchema, env, { abortEarly: false })
  const problems: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const name = v.getDotPath(issue) ?? '(environment)'
      problems.push(describe(name, env[name], issue.message))
    }
  }
  const isProduction = env['NODE_ENV'] === 'production'
  if (isProduction) {
    for (const name of requiredInProduction) {
      if (env[name] === undefined) problems.push(describe(name, undefined, 'a value (required)'))
    }
    problems.push(...productionAuthProblems(env))
  }
  if (problems.length > 0 || !parsed.success) {
    return {
      ok: false,
      message: `Invalid configuration (${problems.length} variable(s)):\n${problems.join('\n')}`,
    }
  }
  return { ok: true, config: withDerived(parsed.output, isProduction) }
}

/**
 * Rafiki requires both auth URLs in production. Ours needs them only for an external
 * authorization server; the embedded one needs its public URL and its secrets instead.
 */
function productionAuthProblems(env: Record<string, string>): string[] {
  const external = ['AUTH_SERVER_GRANT_URL', 'AUTH_SERVER_INTROSPECTION_URL']
  const given = external.filter((name) => env[name] !== undefined)
  if (given.length === external.length) return []
  if (given.length > 0) {
    return external
      .filter((name) => env[name] === undefined)
      .map((name) => describe(name, undefined, 'a value (the other auth server URL is set)'))
  }
  return ['AUTH_SERVER_URL', 'COOKIE_KEY', 'IDENTITY_SERVER_SECRET']
    .filter((name) => env[name] === undefined)
    .map((name) => describe(name, undefined, 'a value (required by the embedded auth server)'))
}

function withDerived(env: Env, isProduction: boolean): Config {
  const database = databaseTarget(env.DATABASE_URL)
  const embedded = database.kind === 'pglite'
  const local = (portNumber: number) => `http://localhost:${portNumber}`
  const authEmbedded =
    env.AUTH_SERVER_GRANT_URL === undefined && env.AUTH_SERVER_INTROSPECTION_URL === undefined
  const authServerUrl = (env.AUTH_SERVER_URL ?? local(env.AUTH_PORT)).replace(/\/+$/, '')
  return {
    ...env,
    OPEN_PAYMENTS_URL: env.OPEN_PAYMENTS_URL ?? local(env.OPEN_PAYMENTS_PORT),
    ILP_ADDRESS: env.ILP_ADDRESS ?? 'test.node',
    ILP_CONNECTOR_URL: env.ILP_CONNECTOR_URL ?? local(env.CONNECTOR_PORT),
    INSTANCE_NAME: env.INSTANCE_NAME ?? 'ilp-node',
    AUTH_SERVER_GRANT_URL: env.AUTH_SERVER_GRANT_URL ?? authServerUrl,
    AUTH_SERVER_INTROSPECTION_URL:
      env.AUTH_SERVER_INTROSPECTION_URL ?? local(env.INTROSPECTION_PORT),
    WEBHOOK_URL: env.WEBHOOK_URL,
    KEY_ID: env.KEY_ID ?? 'local-key',
    isProduction,
    embedded,
    database,
    // Rafiki's default is TigerBeetle; the embedded default has no cluster to talk to.
    useTigerbeetle: env.USE_TIGERBEETLE === undefined ? !embedded : env.USE_TIGERBEETLE === 'true',
    authServer: {
      embedded: authEmbedded,
      url: authServerUrl,
      identityServerUrl:
        env.IDENTITY_SERVER_URL ?? `${local(env.INTERACTION_PORT)}${builtInConsentPath}`,
      builtInConsent: env.IDENTITY_SERVER_URL === undefined,
    },
    authDatabase:
      env.AUTH_DATABASE_URL === undefined ? undefined : databaseTarget(env.AUTH_DATABASE_URL),
  }
}

function databaseTarget(url: string | undefined): DatabaseTarget {
  if (url === undefined) return { kind: 'pglite', dataDir: defaultPgliteDir }
  if (url.startsWith('pglite://')) {
    const path = url.slice('pglite://'.length)
    return { kind: 'pglite', dataDir: path === 'memory' ? 'memory' : path }
  }
  return { kind: 'postgres', url }
}
