import { bootNode } from './boot.ts'
import { run } from './run.ts'
import type { Serve } from './serve.ts'

// The few Deno APIs used here, declared so that tsc (which has no Deno types) checks this file.
declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { readonly addr: { readonly port: number }; shutdown(): Promise<void> }
}

const serve: Serve = async (app, { port, hostname }) => {
  const server = Deno.serve({ port, hostname, onListen: () => {} }, (request) => app.fetch(request))
  return { port: server.addr.port, close: () => server.shutdown() }
}

await run(serve, bootNode)
