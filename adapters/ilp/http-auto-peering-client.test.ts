import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PeeringRequest } from '../../application/ports/auto-peering-client.ts'
import { err, ok } from '../../domain/shared/result.ts'
import { makeHttpAutoPeeringClient } from './http-auto-peering-client.ts'

type Handler = (body: string, response: ServerResponse) => void

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))

const details = {
  staticIlpAddress: 'test.them',
  ilpConnectorUrl: 'http://them.example/ilp',
  httpToken: 'their-token',
  name: 'Them',
}

// One path per behaviour of the other node.
const handlers: Record<string, Handler> = {
  '/ok': (_, r) => json(r, 200, { ...details, tenantId: 'extra fields are ignored' }),
  '/no-name': (_, r) => json(r, 200, { ...details, name: undefined }),
  '/long-name': (_, r) => json(r, 200, { ...details, name: 'n'.repeat(300) }),
  '/not-details': (_, r) => json(r, 200, { hello: 'world' }),
  '/not-json': (_, r) => r.writeHead(200).end('<html>'),
  '/unknown-asset': (_, r) =>
    json(r, 404, { error: { code: 404, message: 'Unknown asset', type: 'UnknownAsset' } }),
  '/misconfigured': (_, r) =>
    json(r, 400, { error: { code: 400, message: 'x', type: 'InvalidPeerIlpConfiguration' } }),
  '/refused': (_, r) =>
    json(r, 400, { error: { code: 400, message: 'x', type: 'InvalidPeeringRequest' } }),
  '/server-error': (_, r) => r.writeHead(500).end('boom'),
  '/huge': (_, r) => json(r, 200, { ...details, name: 'n'.repeat(100_000) }),
  '/slow': (_, r) => void setTimeout(() => json(r, 200, details), 2_000),
}

let baseUrl: string
const received: { path: string; contentType: string | undefined; body: unknown }[] = []
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let body = ''
  request.on('data', (chunk: Buffer) => (body += chunk.toString()))
  request.on('end', () => {
    const path = request.url ?? ''
    received.push({ path, contentType: request.headers['content-type'], body: JSON.parse(body) })
    const handler = handlers[path]
    if (handler) handler(body, response)
    else response.writeHead(404).end()
  })
})

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const request: PeeringRequest = {
  staticIlpAddress: 'test.us',
  ilpConnectorUrl: 'http://us.example/ilp',
  asset: { code: 'USD', scale: 2 },
  httpToken: 'our-token',
  maxPacketAmount: 1000n,
  name: 'Us',
}

describe('HTTP auto-peering client', () => {
  const client = makeHttpAutoPeeringClient({ timeoutMs: 500 })

  it("POSTs our details as Rafiki's JSON and returns the peer's", async () => {
    expect(await client.requestPeering(`${baseUrl}/ok`, request)).toEqual(ok(details))
    expect(received.at(-1)).toEqual({
      path: '/ok',
      contentType: 'application/json',
      body: { ...request, maxPacketAmount: 1000 },
    })
  })

  it('sends amounts beyond 2^53 as strings and omits an absent one', async () => {
    await client.requestPeering(`${baseUrl}/ok`, { ...request, maxPacketAmount: 2n ** 60n })
    expect(received.at(-1)?.body).toMatchObject({ maxPacketAmount: (2n ** 60n).toString() })
    await client.requestPeering(`${baseUrl}/ok`, { ...request, maxPacketAmount: undefined })
    expect(received.at(-1)?.body).not.toHaveProperty('maxPacketAmount')
  })

  it('takes a reply without a name, and drops an overlong one', async () => {
    expect(await client.requestPeering(`${baseUrl}/no-name`, request)).toEqual(
      ok({ ...details, name: null }),
    )
    expect(await client.requestPeering(`${baseUrl}/long-name`, request)).toEqual(
      ok({ ...details, name: null }),
    )
  })

  it.each([
    ['/not-details', 'invalid_peer_reply'],
    ['/not-json', 'invalid_peer_reply'],
    ['/huge', 'invalid_peer_reply'],
    ['/unknown-asset', 'peer_unsupported_asset'],
    ['/misconfigured', 'peer_refused_our_ilp_configuration'],
    ['/refused', 'peer_refused'],
    ['/server-error', 'peer_refused'],
    ['/nowhere', 'peer_refused'],
    ['/slow', 'peer_timeout'],
  ])('maps %s to %s', async (path, error) => {
    expect(await client.requestPeering(`${baseUrl}${path}`, request)).toEqual(err(error))
  })

  it('refuses URLs that are not http(s), and reports a closed port as unreachable', async () => {
    for (const url of ['', 'nope', 'ftp://127.0.0.1/', '/relative']) {
      expect(await client.requestPeering(url, request)).toEqual(err('invalid_peer_url'))
    }
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    expect(await client.requestPeering(`http://127.0.0.1:${port}/`, request)).toEqual(
      err('peer_unreachable'),
    )
  })
})
