// What each runtime entry supplies: a way to serve a fetch handler on a port.
import type { OctetPostHandler } from '../adapters/http/connector-app.ts'

/**
 * An app; `octetPost`, when given, answers its POSTs from the raw bytes, for a runtime whose
 * server can skip building web Request/Response objects (Node's connector port).
 */
export type FetchHandler = {
  fetch(request: Request): Response | Promise<Response>
  readonly octetPost?: OctetPostHandler
}

export type RunningServer = {
  /** The port actually bound (differs from the requested one when that was 0). */
  readonly port: number
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  close(): Promise<void>
}

export type Serve = (
  app: FetchHandler,
  options: { readonly port: number; readonly hostname: string },
) => Promise<RunningServer>

/**
 * A handler served before its app exists (a port must be bound to know it): it answers 503 until
 * `bind` hands it the app.
 */
export function lateBoundHandler(): FetchHandler & { bind(app: FetchHandler): void } {
  let bound: FetchHandler | undefined
  return {
    fetch: (request) => (bound ? bound.fetch(request) : new Response('starting', { status: 503 })),
    bind(app) {
      bound = app
    },
  }
}
