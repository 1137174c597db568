// A test exchange-rates service with the contract of COMPAT.md: GET url?base=CODE ->
// {base, rates: {CODE: number}}. Each node may be given its own path so that a test can tell
// which node asked for which base.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What one unit of each base is worth in other asset codes: {USD: {EUR: 0.91}}. */
export type RatesTable = Readonly<Record<string, Readonly<Record<string, number>>>>

export type RatesRequest = { readonly path: string; readonly base: string }

export type RatesServer = {
  /** The service's base URL; append any path (`${url}/a`) to tell callers apart. */
  readonly url: string
  /** Requests received, in order. */
  readonly requests: RatesRequest[]
  close(): Promise<void>
}

/** Answers GET ?base=CODE from `table` on any path; 404 for a base it does not know. */
export async function startRatesServer(table: RatesTable): Promise<RatesServer> {
  const requests: RatesRequest[] = []
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://rates.test')
    const base = url.searchParams.get('base') ?? ''
    requests.push({ path: url.pathname, base })
    const rates = Object.hasOwn(table, base) ? table[base] : undefined
    if (request.method !== 'GET' || rates === undefined) {
      response.writeHead(404).end()
      return
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ base, rates }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
