import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { Serve } from './serve.ts'

export const serveOnNode: Serve = (app, { port, hostname }) =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) =>
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            // Idle keep-alive sockets would hold close() open; in-flight ones finish first.
            if ('closeIdleConnections' in server) server.closeIdleConnections()
          }),
      }),
    )
    server.once('error', reject)
  })
