import { Hono } from 'hono'
import type { Logger } from '../../application/ports/logger.ts'
import { healthz, withJsonFallbacks } from './json-fallbacks.ts'

/** ILP-over-HTTP; the packet pipeline arrives with the connector issue. */
export const makeConnectorApp = (deps: { readonly logger: Logger }): Hono =>
  withJsonFallbacks(healthz(new Hono()), deps.logger)
