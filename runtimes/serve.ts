// What each runtime entry supplies: a way to serve a fetch handler on a port.
export type FetchHandler = { fetch(request: Request): Response | Promise<Response> }

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
