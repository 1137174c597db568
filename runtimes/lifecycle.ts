// Boot pieces shared by the node (boot.ts) and the authorization server run alone
// (auth-boot.ts): ordered closing, the early binding of the auth ports, the boot error type.
import type { Logger } from '../application/ports/logger.ts'
import { loadConfig, type Config } from './config.ts'
import { lateBoundHandler, type Serve } from './serve.ts'

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
export async function listenAuth(
  config: Config,
  listen: (app: Parameters<Serve>[0], port: number) => Promise<number>,
) {
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
