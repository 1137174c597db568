import { request } from 'node:http'
import { deserializeIlpReply, serializeIlpPrepare, type IlpPrepare } from 'ilp-packet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PeerAccount } from '../application/connector/accounts.ts'
import type { Logger } from '../application/ports/logger.ts'
import { makeConnectorApp } from '../adapters/http/connector-app.ts'
import { serveOnNode } from './node-serve.ts'
import type { RunningServer } from './serve.ts'

const errors: unknown[] = []
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (fields) => void errors.push(fields),
}

const peer: PeerAccount = {
  kind: 'peer',
  id: 'peer-1',
  asset: { id: 'usd', code: 'USD', scale: 2, ledger: 1 },
  staticIlpAddress: 'test.peer',
  maxPacketAmount: null,
  liquidityThreshold: null,
  outgoing: null,
}

const handled: IlpPrepare[] = []
const app = makeConnectorApp({
  logger,
  peers: {
    byIncomingToken: async (token) => (token === 'good' ? peer : undefined),
    route: async () => undefined,
  },
  handlePacket: async (_source, prepare) => {
    handled.push(prepare)
    if (prepare.destination === 'test.boom') throw new Error('internal detail')
    return { code: 'F02', triggeredBy: 'test.node', message: 'no route', data: Buffer.alloc(0) }
  },
})

const prepare = (destination = 'test.nobody') =>
  serializeIlpPrepare({
    amount: '10',
    expiresAt: new Date(Date.now() + 10_000),
    executionCondition: Buffer.alloc(32, 1),
    destination,
    data: Buffer.alloc(0),
  })

type Answer = { status: number; type: string | undefined; body: Buffer }

/** One request on a fresh connection; a chunked body when `length` is undefined. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, method, path, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: response.headers['content-type'],
            body: Buffer.concat(chunks),
          }),
        )
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** The same request through the app's fetch handler, as Bun and Deno serve it. */
async function viaFetch(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Answer> {
  const init: RequestInit = { method, headers }
  if (body !== undefined) init.body = new Uint8Array(body)
  const response = await app.fetch(new Request(`http://node${path}`, init))
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? undefined,
    body: Buffer.from(await response.arrayBuffer()),
  }
}

describe('the connector port on Node: POSTs straight to the ILP-over-HTTP handler', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await serveOnNode(app, { port: 0, hostname: '127.0.0.1' })
  })
  afterAll(() => server.close())
  const postAsPeer = (body: Buffer) =>
    send(server.port, 'POST', '/', { authorization: 'Bearer good' }, body)

  const octets = { 'content-type': 'application/octet-stream' }
  const cases: [string, number, string, string, Record<string, string>, Buffer | undefined][] = [
    [
      'an ILP reply for a known token',
      200,
      'POST',
      '/',
      { ...octets, authorization: 'Bearer good' },
      prepare(),
    ],
    [
      '401 for an unknown token',
      401,
      'POST',
      '/',
      { ...octets, authorization: 'Bearer bad' },
      prepare(),
    ],
    ['401 without a token', 401, 'POST', '/', octets, prepare()],
    [
      '400 for a body that is no Prepare',
      400,
      'POST',
      '/ilp',
      { ...octets, authorization: 'Bearer good' },
      Buffer.from('nope'),
    ],
    [
      '413 for a declared body over 33 KiB',
      413,
      'POST',
      '/',
      { ...octets, authorization: 'Bearer good' },
      Buffer.alloc(40 * 1024),
    ],
    [
      '401 before 413 for an unknown token',
      401,
      'POST',
      '/',
      { ...octets, authorization: 'Bearer bad' },
      Buffer.alloc(40 * 1024),
    ],
    ['the health check', 200, 'GET', '/healthz', {}, undefined],
    ['404 JSON for other paths', 404, 'GET', '/nothing', {}, undefined],
    [
      '500 without the internals for a handler error',
      500,
      'POST',
      '/',
      { ...octets, authorization: 'Bearer good' },
      prepare('test.boom'),
    ],
  ]

  it.each(cases)(
    '%s, as the fetch handler answers',
    async (_name, status, method, path, headers, body) => {
      const [node, fetched] = [
        await send(server.port, method, path, headers, body),
        await viaFetch(method, path, headers, body),
      ]
      expect(node.status).toBe(status)
      expect(node).toEqual(fetched)
    },
  )

  it('passes the Prepare and the peer to the pipeline and returns its reply', async () => {
    handled.length = 0
    const answer = await postAsPeer(prepare('test.x.y'))
    expect(answer.status).toBe(200)
    expect(answer.type).toBe('application/octet-stream')
    expect(deserializeIlpReply(answer.body)).toMatchObject({ code: 'F02', message: 'no route' })
    expect(handled.map((p) => p.destination)).toEqual(['test.x.y'])
  })

  it('refuses an undeclared (chunked) body over 33 KiB with 413, and a bad one with 400', async () => {
    const chunked = { authorization: 'Bearer good', 'transfer-encoding': 'chunked' }
    const large = await send(server.port, 'POST', '/', chunked, Buffer.alloc(40 * 1024))
    expect(large.status).toBe(413)
    const small = await send(server.port, 'POST', '/', chunked, Buffer.from('nope'))
    expect(small.status).toBe(400)
    const good = await send(server.port, 'POST', '/', chunked, prepare())
    expect(deserializeIlpReply(good.body)).toMatchObject({ code: 'F02' })
  })

  it('logs a handler error and answers 500 without its message', async () => {
    errors.length = 0
    const answer = await postAsPeer(prepare('test.boom'))
    expect(answer.status).toBe(500)
    expect(answer.body.toString()).not.toContain('internal detail')
    expect(errors).toHaveLength(1)
  })
})
