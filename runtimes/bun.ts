/// <reference types="bun-types" />
import { bootNode } from './boot.ts'
import { run } from './run.ts'
import type { Serve } from './serve.ts'

const serve: Serve = async (app, { port, hostname }) => {
  const server = Bun.serve({ fetch: (request) => app.fetch(request), port, hostname })
  return { port: server.port ?? port, close: () => server.stop() }
}

await run(serve, bootNode)
