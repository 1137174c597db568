// Boot shared by the Node, Bun and Deno entries: they differ only in how they serve HTTP.
import { systemClock } from '../adapters/system/system-clock.ts'
import { randomIds } from '../adapters/system/random-ids.ts'
import { loadInstanceKey } from '../adapters/system/instance-key.ts'
import { autoPeeringTokens } from './compose-auto-peering.ts'
import { connectorTokens } from './compose-connector.ts'
import { compose, tokens } from './compose.ts'
import { openLedger, openShared, openStorage, openWorkSignal } from './infrastructure.ts'
import {
  bootWith,
  ConfigError,
  listenAuth,
  withBoundAuthPorts,
  type StartContext,
} from './lifecycle.ts'
import type { Serve } from './serve.ts'
import { authTokens } from './compose-auth.ts'

export { ConfigError }

export type Node = {
  readonly ports: {
    readonly admin: number
    readonly openPayments: number
    readonly connector: number
    /** Only with ENABLE_AUTO_PEERING. */
    readonly autoPeering?: number
    /** The embedded authorization server's GNAP, introspection and interaction ports. */
    readonly auth?: number
    readonly introspection?: number
    readonly interaction?: number
  }
  /** Stops accepting, finishes in-flight requests, stops workers, closes pools. */
  stop(): Promise<void>
}

/** Boots the node from an environment; throws on any failure after closing what it opened. */
export function bootNode(env: Record<string, string | undefined>, serve: Serve): Promise<Node> {
  return bootWith(env, serve, start)
}

async function start({ env, config: loadedConfig, logger, closers, listen }: StartContext) {
  // The embedded authorization server's ports are bound first: its URLs (continue, interact,
  // the consent page) name them, and a port asked as 0 is only known once bound.
  const auth = loadedConfig.authServer.embedded ? await listenAuth(loadedConfig, listen) : undefined
  const config = auth ? withBoundAuthPorts(env, loadedConfig, auth.ports) : loadedConfig
  const database = await openStorage(config, logger)
  closers.add(() => database.close())
  const authDatabase =
    auth && config.authDatabase ? await openStorage(config, logger, config.authDatabase) : undefined
  if (authDatabase) closers.add(() => authDatabase.close())
  const shared = await openShared(config, logger)
  closers.add(() => shared.close())
  const ledger = await openLedger(config, database, logger)
  closers.add(() => ledger.ledger.close())
  const workSignal = await openWorkSignal(database, logger)
  closers.add(() => workSignal.close())
  const instanceKey = await loadInstanceKey({
    keyId: config.KEY_ID,
    privateKeyFile: config.PRIVATE_KEY_FILE,
  })
  if (instanceKey.source === 'generated-ephemeral') {
    logger.warn({}, 'PRIVATE_KEY_FILE is unset: a new signing key (KEY_ID) is made at each start')
  }
  const graph = compose({
    config,
    logger,
    clock: systemClock,
    ids: randomIds,
    cache: shared.cache,
    locks: shared.locks,
    sql: database.sql,
    ...(authDatabase && { authSql: authDatabase.sql }),
    ledger: ledger.ledger,
    workSignal,
    instanceKey,
  })
  const workers = graph.get(tokens.workers)
  for (const worker of workers) worker.start()
  closers.add(async () => {
    await Promise.all(workers.map((worker) => worker.stop()))
  })
  // After the servers (closed first) have answered their last packets, before the ledger.
  closers.add(() => graph.get(connectorTokens.liquidityReservations).close())
  if (auth) {
    auth.handlers.auth.bind(graph.get(authTokens.authApp))
    auth.handlers.introspection.bind(graph.get(authTokens.introspectionApp))
    auth.handlers.interaction.bind(graph.get(authTokens.interactionApp))
  }
  const ports = {
    admin: await listen(graph.get(tokens.adminApp), config.ADMIN_PORT),
    openPayments: await listen(graph.get(tokens.openPaymentsApp), config.OPEN_PAYMENTS_PORT),
    connector: await listen(graph.get(tokens.connectorApp), config.CONNECTOR_PORT),
    ...(config.ENABLE_AUTO_PEERING && {
      autoPeering: await listen(
        graph.get(autoPeeringTokens.autoPeeringApp),
        config.AUTO_PEERING_SERVER_PORT,
      ),
    }),
    ...auth?.ports,
  }
  const summary = {
    ports,
    hostname: config.BIND_ADDRESS,
    database: database.kind,
    cache: shared.description,
    ledger: ledger.description,
    workers: workers.length,
    authServer: config.authServer.embedded ? config.authServer.url : 'external',
  }
  return { ports, summary }
}
