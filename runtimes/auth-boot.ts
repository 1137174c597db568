// Boot of the authorization server alone (`npm run start:auth`), for operators who deploy it
// apart from the node as Rafiki's separate auth service: GNAP and the interaction's front channel
// on AUTH_PORT, introspection on INTROSPECTION_PORT, the identity provider's back channel and
// the built-in consent page on INTERACTION_PORT, the grants admin API on AUTH_ADMIN_PORT.
import { randomIds } from '../adapters/system/random-ids.ts'
import { systemClock } from '../adapters/system/system-clock.ts'
import { bootWith, listenAuth, withBoundAuthPorts, type StartContext } from './lifecycle.ts'
import { authServerTokens, authTokens, composeAuthServer } from './compose-auth.ts'
import type { Config, DatabaseTarget } from './config.ts'
import { openShared, openStorage, openWorkSignal } from './infrastructure.ts'
import type { Serve } from './serve.ts'

export type AuthServer = {
  readonly ports: {
    readonly auth: number
    readonly introspection: number
    readonly interaction: number
    readonly admin: number
  }
  /** Stops accepting, finishes in-flight requests, stops the cleanup worker, closes pools. */
  stop(): Promise<void>
}

// Without AUTH_DATABASE_URL or DATABASE_URL: its own PGlite, never the node's default one (one
// PGlite directory is for one process).
const defaultAuthPgliteDir = './data/pglite-auth'

// The node's required variables (production) mean nothing here; these stand in for the absent
// ones so that an auth service's environment file, which has none of them, is enough.
const nodeOnlyPlaceholders = {
  OPEN_PAYMENTS_URL: 'http://unused.invalid',
  ILP_ADDRESS: 'test.unused',
  ILP_CONNECTOR_URL: 'http://unused.invalid',
  INSTANCE_NAME: 'auth',
  WEBHOOK_URL: 'http://unused.invalid',
  KEY_ID: 'unused',
}

// AUTH_SERVER_GRANT_URL and AUTH_SERVER_INTROSPECTION_URL name an external server to a node;
// this process is that server, so they are ignored (production then requires AUTH_SERVER_URL,
// COOKIE_KEY and IDENTITY_SERVER_SECRET, as for the embedded server).
const externalAuthUrls = new Set(['AUTH_SERVER_GRANT_URL', 'AUTH_SERVER_INTROSPECTION_URL'])

function authServerEnv(env: Record<string, string | undefined>): Record<string, string> {
  const given = Object.entries(env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && entry[1] !== '' && !externalAuthUrls.has(entry[0]),
  )
  return { ...nodeOnlyPlaceholders, ...Object.fromEntries(given) }
}

/** Boots the authorization server from an environment; throws after closing what it opened. */
export function bootAuthServer(
  env: Record<string, string | undefined>,
  serve: Serve,
): Promise<AuthServer> {
  return bootWith(authServerEnv(env), serve, start)
}

async function start({ env, config: loadedConfig, logger, closers, listen }: StartContext) {
  // Bound before the graph: AUTH_SERVER_URL and the consent page URL name the bound ports.
  const auth = await listenAuth(loadedConfig, listen)
  const config = withBoundAuthPorts(env, loadedConfig, auth.ports)
  const target = storageTarget(env, config)
  const database = await openStorage(config, logger, target)
  closers.add(() => database.close())
  const shared = await openShared(config, logger)
  closers.add(() => shared.close())
  const workSignal = await openWorkSignal(database, logger)
  closers.add(() => workSignal.close())
  const graph = composeAuthServer({
    config,
    logger,
    clock: systemClock,
    ids: randomIds,
    cache: shared.cache,
    authSql: database.sql,
    workSignal,
  })
  const workers = graph.get(authTokens.workers)
  for (const worker of workers) worker.start()
  closers.add(async () => {
    await Promise.all(workers.map((worker) => worker.stop()))
  })
  auth.handlers.auth.bind(graph.get(authTokens.authApp))
  auth.handlers.introspection.bind(graph.get(authTokens.introspectionApp))
  auth.handlers.interaction.bind(graph.get(authTokens.interactionApp))
  const ports = {
    ...auth.ports,
    admin: await listen(graph.get(authServerTokens.adminApp), config.AUTH_ADMIN_PORT),
  }
  const summary = {
    ports,
    hostname: config.BIND_ADDRESS,
    database: database.kind,
    cache: shared.description,
    workers: workers.length,
    authServer: config.authServer.url,
    identityServer: config.authServer.builtInConsent
      ? 'built-in consent page'
      : config.authServer.identityServerUrl,
  }
  return { ports, summary }
}

/** AUTH_DATABASE_URL, else DATABASE_URL, else a PGlite of its own. */
function storageTarget(env: Record<string, string | undefined>, config: Config): DatabaseTarget {
  if (config.authDatabase) return config.authDatabase
  if (env['DATABASE_URL'] !== undefined) return config.database
  return { kind: 'pglite', dataDir: defaultAuthPgliteDir }
}
