// Boot pieces shared by the node (boot.ts) and the authorization server run alone
// (auth-boot.ts): ordered closing, the early binding of the auth ports, the boot error type.
import { makePinoLogger } from '../adapters/logging/pino-logger.ts'
import type { Logger } from '../application/ports/logger.ts'
import { loadConfig, type Config } from './config.ts'
import { lateBoundHandler, type Serve } from './serve.ts'

/** Binds an app on a port (closed before everything else on stop); the port actually bound. */
export type Listen = (app: Parameters<Serve>[0], port: number) => Promise<number>

/** What a boot's `start` is handed: the parsed configuration and where to register closing. */
export type StartContext = {
  readonly env: Record<string, string | undefined>
  readonly config: Config
  readonly logger: Logger
  readonly closers: Closers
  readonly listen: Listen
}

export type Started<Ports> = {
  readonly ports: Ports
  /** Logged with the 'ready' line. */
  readonly summary: Record<string, unknown>
}

export type Booted<Ports> = {
  readonly ports: Ports
  /** Stops accepting, finishes in-flight requests, stops workers, closes pools. */
  stop(): Promise<void>
}

/**
 * Parses the environment, runs `start`, logs 'ready' with its ports; throws on any failure after
 * closing what was opened. The node and the authorization server run alone boot through it.
 */
export async function bootWith<Ports>(
  env: Record<string, string | undefined>,
  serve: Serve,
  start: (context: StartContext) => Promise<Started<Ports>>,
): Promise<Booted<Ports>> {
  const started = performance.now()
  const loaded = loadConfig(env)
  if (!loaded.ok) throw new ConfigError(loaded.message)
  const config = loaded.config
  const logger = makePinoLogger(config.LOG_LEVEL)
  const closers = new Closers()
  const listen: Listen = async (app, port) => {
    const server = await serve(app, { port, hostname: config.BIND_ADDRESS })
    closers.addFirst(() => server.close())
    return server.port
  }
  try {
    const result = await start({ env, config, logger, closers, listen })
    logger.info({ ...result.summary, bootMs: Math.round(performance.now() - started) }, 'ready')
    return {
      ports: result.ports,
      async stop() {
        await closers.closeAll(logger)
        logger.info({}, 'stopped')
        logger.flush()
      },
    }
  } catch (error) {
    await closers.closeAll(logger)
    throw error
  }
}

/** Things to close on stop, or when boot fails half-way; closed last-opened first. */
export class Closers {
  readonly #closers: (() => Promise<void>)[] = []
  readonly #first: (() => Promise<void>)[] = []
  add(close: () => Promise<void>): void {
    this.#closers.push(close)
  }
  /** Closed before everything added with `add` (servers opened before what they use). */
  addFirst(close: () => Promise<void>): void {
    this.#first.push(close)
  }
  async closeAll(logger: Logger): Promise<void> {
    const ordered = [...this.#first.splice(0).reverse(), ...this.#closers.splice(0).reverse()]
    for (const close of ordered) {
      await close().catch((error: unknown) => logger.error({ err: error }, 'error while closing'))
    }
  }
}

export type AuthPorts = {
  readonly auth: number
  readonly introspection: number
  readonly interaction: number
}

/**
 * Binds the authorization server's ports before its graph exists (answering 503 until `bind`):
 * its URLs name them, and a port asked as 0 is only known once bound. Also `npm run start:auth`.
 */
export async function listenAuth(config: Config, listen: Listen) {
  const handlers = {
    auth: lateBoundHandler(),
    introspection: lateBoundHandler(),
    interaction: lateBoundHandler(),
  }
  const ports: AuthPorts = {
    auth: await listen(handlers.auth, config.AUTH_PORT),
    introspection: await listen(handlers.introspection, config.INTROSPECTION_PORT),
    interaction: await listen(handlers.interaction, config.INTERACTION_PORT),
  }
  return { handlers, ports }
}

/** The configuration again with the auth ports actually bound, so derived URLs name them. */
export function withBoundAuthPorts(
  env: Record<string, string | undefined>,
  config: Config,
  ports: AuthPorts,
): Config {
  const same =
    ports.auth === config.AUTH_PORT &&
    ports.introspection === config.INTROSPECTION_PORT &&
    ports.interaction === config.INTERACTION_PORT
  if (same) return config
  const reloaded = loadConfig({
    ...env,
    AUTH_PORT: String(ports.auth),
    INTROSPECTION_PORT: String(ports.introspection),
    INTERACTION_PORT: String(ports.interaction),
  })
  if (!reloaded.ok) throw new ConfigError(reloaded.message)
  return reloaded.config
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}
