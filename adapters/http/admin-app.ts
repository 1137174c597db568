import { Hono } from 'hono'
import type { Cache } from '../../application/ports/cache.ts'
import type { Clock } from '../../application/ports/clock.ts'
import type { Logger } from '../../application/ports/logger.ts'
import { verifyAdminSignature } from './admin-signature.ts'
import { healthz, withJsonFallbacks } from './json-fallbacks.ts'

export type AdminAppDeps = {
  readonly graphql: { fetch(request: Request): Response | Promise<Response> }
  readonly logger: Logger
  readonly cache: Cache
  readonly clock: Clock
  /** API_SECRET: when set, every GraphQL request must carry a valid HMAC signature. */
  readonly apiSecret: string | undefined
  readonly apiSignatureVersion: number
  readonly signatureTtlSeconds: number
}

export function makeAdminApp(deps: AdminAppDeps): Hono {
  const app = withJsonFallbacks(healthz(new Hono()), deps.logger)
  if (deps.apiSecret !== undefined) {
    app.use(
      '/graphql',
      verifyAdminSignature({
        secret: deps.apiSecret,
        version: deps.apiSignatureVersion,
        ttlSeconds: deps.signatureTtlSeconds,
        cache: deps.cache,
        clock: deps.clock,
      }),
    )
  }
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', async (c) => {
    const raw = c.req.raw
    // The signature check has read the body already; hand GraphQL an unread copy.
    const request = raw.bodyUsed
      ? new Request(raw.url, {
          method: raw.method,
          headers: raw.headers,
          body: JSON.stringify(await c.req.json()),
        })
      : raw
    return deps.graphql.fetch(request)
  })
  return app
}
