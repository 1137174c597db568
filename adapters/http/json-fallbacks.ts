import type { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Logger } from '../../application/ports/logger.ts'

/** The body of every 500: nothing of the error itself reaches the client. */
export const internalErrorBody = {
  error: { code: 'internal_error', description: 'Internal error' },
} as const

/**
 * Every port answers unknown paths with 404 JSON and never leaks an internal error: the
 * Open Payments error body shape {error: {code, description}} is used on all of them.
 */
export function withJsonFallbacks(app: Hono, logger: Logger): Hono {
  app.notFound((c) => c.json({ error: { code: 'not_found', description: 'Not found' } }, 404))
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ error: { code: 'bad_request', description: error.message } }, error.status)
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error in HTTP handler')
    return c.json(internalErrorBody, 500)
  })
  return app
}

export const healthz = (app: Hono): Hono => app.get('/healthz', (c) => c.text('OK'))
