import { Hono } from 'hono'
import type { Logger } from '../../application/ports/logger.ts'
import { healthz, withJsonFallbacks } from './json-fallbacks.ts'

/** The Open Payments resource server; its routes arrive with the Open Payments issue. */
export const makeOpenPaymentsApp = (deps: { readonly logger: Logger }): Hono =>
  withJsonFallbacks(healthz(new Hono()), deps.logger)
