import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server,
  type Socket,
} from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { type Http1Client, type Http1ClientOptions, makeHttp1Client } from './http1-client.ts'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const client = (options: Partial<Http1ClientOptions> = {}): Http1Client => {
  const made = makeHttp1Client({ socketsPerOriginMax: 4, replyBytesMax: 1024, ...options })
  cleanups.push(() => made.close())
  return made
}

/** Counts a server's connections: all of them, those open now, and the most open at once. */
type Tracked = {
  readonly url: (path?: string) => URL
  readonly port: number
  readonly sockets: Set<Socket>
  connections: number
  openNow: number
  openMax: number
  /** Resolves when the next server-side socket closes. */
  nextClose(): Promise<void>
}

async function track(server: Server): Promise<Tracked> {
  const closeWaiters: (() => void)[] = []
  const tracked: Tracked = {
    url: (path = '/') => new URL(`http://127.0.0.1:${tracked.port}${path}`),
    port: 0,
    sockets: new Set(),
    connections: 0,
    openNow: 0,
    openMax: 0,
    nextClose: () => new Promise((resolve) => closeWaiters.push(resolve)),
  }
  server.on('connection', (socket: Socket) => {
    tracked.connections += 1
    tracked.openNow += 1
    tracked.openMax = Math.max(tracked.openMax, tracked.openNow)
    tracked.sockets.add(socket)
    socket.on('close', () => {
      tracked.openNow -= 1
      tracked.sockets.delete(socket)
      for (const resolve of closeWaiters.splice(0)) resolve()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  Object.assign(tracked, { port: (server.address() as AddressInfo).port })
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of tracked.sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  return tracked
}

type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: string }

/** A node:http server; `handle` answers each request after its body was read. */
async function httpServer(
  handle: (request: Received, response: ServerResponse) => void,
): Promise<Tracked & { received: Received[] }> {
  const received: Received[] = []
  const server = createHttpServer((request, response) => {
    const parts: Buffer[] = []
    request.on('data', (part: Buffer) => parts.push(part))
    request.on('end', () => {
      const seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(parts).toString(),
      }
      received.push(seen)
      handle(seen, response)
    })
  })
  const tracked = await track(server)
  return Object.assign(tracked, { received })
}

/**
 * A raw TCP server for misbehaving peers: `onRequest` gets each whole request (head and
 * Content-Length body) as text, with the socket to answer on.
 */
async function rawServer(
  onRequest: (socket: Socket, request: string) => void,
  onConnection?: (socket: Socket) => void,
): Promise<Tracked & { requests: string[] }> {
  const requests: string[] = []
  const server = createNetServer((socket) => {
    socket.on('error', () => {})
    onConnection?.(socket)
    let buffered = ''
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1')
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n')
        if (headEnd < 0) return
        const length = Number(/content-length: *(\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0)
        const end = headEnd + 4 + length
        if (buffered.length < end) return
        const request = buffered.slice(0, end)
        buffered = buffered.slice(end)
        requests.push(request)
        onRequest(socket, request)
      }
    })
  })
  const tracked = await track(server)
  return Object.assign(tracked, { requests })
}

const text = (value: string) => Buffer.from(value)

/** The result with the body as text, to compare whole. */
async function outcome(promise: ReturnType<Http1Client['post']>) {
  const result = await promise
  return result.ok
    ? { ok: true, status: result.value.status, body: result.value.body.toString() }
    : result
}

const okReply = (status: number, body: string) => ({ ok: true, status, body })
const failure = (error: string) => ({ ok: false, error })

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('makeHttp1Client', () => {
  describe('requests', () => {
    it('sends the request line, Host, the given headers, Content-Length and the exact body', async () => {
      const server = await rawServer((socket) =>
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
      )
      const url = server.url('/ilp/peer?x=1&y=%20')
      const result = await outcome(
        client().post(
          url,
          { 'Content-Type': 'application/octet-stream', Authorization: 'Bearer t0k' },
          text('hello\r\n\r\nworld'),
          1000,
        ),
      )
      expect(result).toEqual(okReply(200, 'ok'))
      expect(server.requests).toEqual([
        'POST /ilp/peer?x=1&y=%20 HTTP/1.1\r\n' +
          `Host: 127.0.0.1:${server.port}\r\n` +
          'Content-Type: application/octet-stream\r\n' +
          'Authorization: Bearer t0k\r\n' +
          'Content-Length: 14\r\n' +
          '\r\n' +
          'hello\r\n\r\nworld',
      ])
    })

    it('is understood by node:http, binary body included', async () => {
      const server = await httpServer((request, response) => {
        response.setHeader('X-Echo', request.headers['x-test'] ?? '')
        response.end(`echo:${request.body}`)
      })
      const body = Buffer.from([1, 2, 3, 250])
      const result = await client().post(server.url('/p'), { 'X-Test': 'v' }, body, 1000)
      expect(result.ok && result.value.status).toBe(200)
      expect(result.ok && result.value.body.toString()).toBe(`echo:${body.toString()}`)
      expect(server.received).toHaveLength(1)
      expect(server.received[0]).toMatchObject({
        method: 'POST',
        url: '/p',
        headers: { host: `127.0.0.1:${server.port}`, 'x-test': 'v', 'content-length': '4' },
        body: body.toString(),
      })
    })

    it('GETs with no body and no Content-Length, on the same pooled connection', async () => {
      const server = await rawServer((socket) =>
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
      )
      const http = client()
      const url = server.url('/alice?x=1')
      expect(await outcome(http.get(url, { Accept: 'application/json' }, 1000))).toEqual(
        okReply(200, 'ok'),
      )
      expect(await outcome(http.post(url, {}, text('b'), 1000))).toEqual(okReply(200, 'ok'))
      expect(server.requests[0]).toBe(
        'GET /alice?x=1 HTTP/1.1\r\n' +
          `Host: 127.0.0.1:${server.port}\r\n` +
          'Accept: application/json\r\n' +
          '\r\n',
      )
      expect(server.requests[1]).toContain('POST /alice?x=1 HTTP/1.1\r\n')
      expect(server.connections).toBe(1)
    })

    it('returns non-2xx statuses as replies', async () => {
      const server = await httpServer((_request, response) => {
        response.statusCode = 422
        response.end('nope')
      })
      expect(await outcome(client().post(server.url(), {}, text('x'), 1000))).toEqual(
        okReply(422, 'nope'),
      )
    })
  })

  describe('keep-alive pool', () => {
    it('reuses one connection for sequential requests', async () => {
      const server = await httpServer((request, response) => response.end(`r:${request.body}`))
      const http = client()
      for (const n of [1, 2, 3, 4]) {
        expect(await outcome(http.post(server.url(), {}, text(`${n}`), 1000))).toEqual(
          okReply(200, `r:${n}`),
        )
      }
      expect(server.connections).toBe(1)
      expect(server.received.map((request) => request.body)).toEqual(['1', '2', '3', '4'])
    })

    it('keeps at most socketsPerOriginMax connections; the others wait their turn', async () => {
      const server = await httpServer((request, response) => {
        setTimeout(() => response.end(`r:${request.body}`), 40)
      })
      const http = client({ socketsPerOriginMax: 2 })
      const results = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((n) => outcome(http.post(server.url(), {}, text(`${n}`), 2000))),
      )
      expect(results).toEqual([0, 1, 2, 3, 4, 5].map((n) => okReply(200, `r:${n}`)))
      expect(server.openMax).toBe(2)
      expect(server.connections).toBe(2)
    })

    it('keeps separate pools per origin', async () => {
      const one = await httpServer((_request, response) => response.end('one'))
      const two = await httpServer((_request, response) => response.end('two'))
      const http = client({ socketsPerOriginMax: 1 })
      const results = await Promise.all([
        outcome(http.post(one.url(), {}, text(''), 1000)),
        outcome(http.post(two.url(), {}, text(''), 1000)),
        outcome(http.post(one.url(), {}, text(''), 1000)),
      ])
      expect(results).toEqual([okReply(200, 'one'), okReply(200, 'two'), okReply(200, 'one')])
      expect([one.connections, two.connections]).toEqual([1, 1])
    })

    it('opens a new connection after a Connection: close reply', async () => {
      const server = await httpServer((request, response) => {
        response.setHeader('Connection', 'close')
        response.end(`r:${request.body}`)
      })
      const http = client({ socketsPerOriginMax: 1 })
      expect(await outcome(http.post(server.url(), {}, text('a'), 1000))).toEqual(
        okReply(200, 'r:a'),
      )
      expect(await outcome(http.post(server.url(), {}, text('b'), 1000))).toEqual(
        okReply(200, 'r:b'),
      )
      expect(server.connections).toBe(2)
    })

    it('opens a new connection once the server closed the idle one', async () => {
      const server = await rawServer((socket, request) => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${request.slice(-1)}`)
        setTimeout(() => socket.end(), 10)
      })
      const http = client({ socketsPerOriginMax: 1 })
      const closed = server.nextClose()
      expect(await outcome(http.post(server.url(), {}, text('a'), 1000))).toEqual(okReply(200, 'a'))
      await closed
      await sleep(20)
      expect(await outcome(http.post(server.url(), {}, text('b'), 1000))).toEqual(okReply(200, 'b'))
      expect(server.connections).toBe(2)
    })

    it('does not reuse an idle connection the server ended, even before its close is seen', async () => {
      const server = await rawServer((socket, request) => {
        socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${request.slice(-1)}`)
      })
      const http = client({ socketsPerOriginMax: 1 })
      const closed = server.nextClose()
      expect(await outcome(http.post(server.url(), {}, text('a'), 1000))).toEqual(okReply(200, 'a'))
      await closed
      expect(await outcome(http.post(server.url(), {}, text('b'), 1000))).toEqual(okReply(200, 'b'))
      expect(server.connections).toBe(2)
    })

    it('closes idle connections after idleMs', async () => {
      const server = await httpServer((_request, response) => response.end('ok'))
      const http = client({ idleMs: 60 })
      const closed = server.nextClose()
      const started = performance.now()
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(okReply(200, 'ok'))
      await sleep(30)
      expect(server.openNow).toBe(1)
      await closed
      const elapsed = performance.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(55)
      expect(elapsed).toBeLessThan(500)
      expect(server.openNow).toBe(0)
      // And the pool opens a fresh one afterwards.
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(okReply(200, 'ok'))
      expect(server.connections).toBe(2)
    })

    it('drops a connection that sends bytes nobody asked for, and goes on with a new one', async () => {
      const server = await rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
        setTimeout(() => socket.write('surprise'), 10)
      })
      const http = client({ socketsPerOriginMax: 1 })
      const closed = server.nextClose()
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(okReply(200, 'ok'))
      await closed
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(okReply(200, 'ok'))
      expect(server.connections).toBe(2)
    })
  })

  describe('reply framing', () => {
    it('reads a chunked reply sent in pieces', async () => {
      const server = await rawServer((socket) => {
        const pieces = [
          'HTTP/1.1 200 OK\r\nTransfer-',
          'Encoding: chunked\r\n\r\n5\r\nhel',
          'lo\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n',
          '\r\n',
        ]
        pieces.forEach((piece, at) => setTimeout(() => socket.write(piece), at * 5))
      })
      const http = client({ socketsPerOriginMax: 1 })
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(
        okReply(200, 'hello world'),
      )
      // The connection stays usable.
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(
        okReply(200, 'hello world'),
      )
      expect(server.connections).toBe(1)
    })

    it('reads a reply sent one byte at a time', async () => {
      const server = await rawServer((socket) => {
        const reply = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc'
        let at = 0
        const next = () => {
          if (at >= reply.length) return
          socket.write(reply[at] ?? '')
          at += 1
          setImmediate(next)
        }
        next()
      })
      expect(await outcome(client().post(server.url(), {}, text(''), 1000))).toEqual(
        okReply(200, 'abc'),
      )
    })

    it('reads a reply without framing until the server closes', async () => {
      const server = await rawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ')
        setTimeout(() => socket.end('part two'), 20)
      })
      const http = client({ socketsPerOriginMax: 1 })
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(
        okReply(200, 'part one, part two'),
      )
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(
        okReply(200, 'part one, part two'),
      )
      expect(server.connections).toBe(2)
    })
  })

  describe('failures', () => {
    it('times out, and the pool still serves later requests', async () => {
      const server = await httpServer((request, response) => {
        if (request.url === '/slow') return // never answered
        response.end('fast')
      })
      const http = client({ socketsPerOriginMax: 1 })
      const started = performance.now()
      expect(await http.post(server.url('/slow'), {}, text(''), 50)).toEqual(failure('timeout'))
      const elapsed = performance.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(45)
      expect(elapsed).toBeLessThan(500)
      expect(await outcome(http.post(server.url('/fast'), {}, text(''), 1000))).toEqual(
        okReply(200, 'fast'),
      )
      expect(server.connections).toBe(2)
    })

    it('fails as unreachable when the connection is refused', async () => {
      const port = await closedPort()
      const result = await client().post(new URL(`http://127.0.0.1:${port}/`), {}, text(''), 1000)
      expect(result).toEqual(failure('unreachable'))
    })

    it('fails as unreachable when the server closes without a reply', async () => {
      const server = await rawServer((socket) => socket.destroy())
      expect(await client().post(server.url(), {}, text('x'), 1000)).toEqual(failure('unreachable'))
      expect(server.requests).toHaveLength(1)
    })

    it('fails as unreachable when the server closes on accepting', async () => {
      const server = await rawServer(
        () => {},
        (socket) => socket.end(),
      )
      expect(await client().post(server.url(), {}, text('x'), 1000)).toEqual(failure('unreachable'))
    })

    it('fails as bad_reply on garbage, and on a reply cut short', async () => {
      const garbage = await rawServer((socket) => socket.write('garbage\r\n\r\n'))
      expect(await client().post(garbage.url(), {}, text(''), 1000)).toEqual(failure('bad_reply'))
      const cut = await rawServer((socket) =>
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'),
      )
      expect(await client().post(cut.url(), {}, text(''), 1000)).toEqual(failure('bad_reply'))
    })

    it('fails as bad_reply on a reply over replyBytesMax, however it is framed', async () => {
      const big = 'x'.repeat(11)
      const replies = [
        `HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}`,
        `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n${big}\r\n0\r\n\r\n`,
        `HTTP/1.1 200 OK\r\n\r\n${big}`, // until close, but the server keeps it open
      ]
      for (const reply of replies) {
        const server = await rawServer((socket) => socket.write(reply))
        const http = client({ replyBytesMax: 10 })
        expect(await http.post(server.url(), {}, text(''), 1000)).toEqual(failure('bad_reply'))
      }
      const fits = await rawServer((socket) =>
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789'),
      )
      expect(
        await outcome(client({ replyBytesMax: 10 }).post(fits.url(), {}, text(''), 1000)),
      ).toEqual(okReply(200, '0123456789'))
    })

    it('refuses non-http URLs and CR or LF in headers, sending nothing', async () => {
      const server = await rawServer((socket) =>
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'),
      )
      const http = client()
      const https = new URL(`https://127.0.0.1:${server.port}/`)
      expect(await http.post(https, {}, text(''), 1000)).toEqual(failure('unreachable'))
      expect(
        await http.post(server.url(), { 'X-A': 'v\r\nX-Injected: 1' }, text(''), 1000),
      ).toEqual(failure('unreachable'))
      expect(await http.post(server.url(), { 'X-A': 'v\nb' }, text(''), 1000)).toEqual(
        failure('unreachable'),
      )
      expect(await http.post(server.url(), { 'X-A\r': 'v' }, text(''), 1000)).toEqual(
        failure('unreachable'),
      )
      await sleep(20)
      expect(server.connections).toBe(0)
      expect(server.requests).toEqual([])
    })
  })

  describe('queue', () => {
    it('a request that timed out while waiting does not take a connection later', async () => {
      const server = await httpServer((request, response) => {
        response.setHeader('Connection', 'close')
        setTimeout(() => response.end(`r:${request.url}`), request.url === '/slow' ? 120 : 0)
      })
      const http = client({ socketsPerOriginMax: 1 })
      const slow = outcome(http.post(server.url('/slow'), {}, text(''), 1000))
      await sleep(10)
      expect(await http.post(server.url('/queued'), {}, text(''), 30)).toEqual(failure('timeout'))
      expect(await slow).toEqual(okReply(200, 'r:/slow'))
      await sleep(40)
      // Nobody is waiting any more: no connection is opened for the request that gave up.
      expect(server.connections).toBe(1)
      expect(server.received.map((request) => request.url)).toEqual(['/slow'])
      expect(await outcome(http.post(server.url('/later'), {}, text(''), 1000))).toEqual(
        okReply(200, 'r:/later'),
      )
      expect(server.received.map((request) => request.url)).toEqual(['/slow', '/later'])
    })

    it('after a queued request timed out, the kept-alive connection serves the next one', async () => {
      const server = await httpServer((request, response) => {
        setTimeout(() => response.end(`r:${request.url}`), request.url === '/slow' ? 80 : 0)
      })
      const http = client({ socketsPerOriginMax: 1 })
      const slow = outcome(http.post(server.url('/slow'), {}, text(''), 1000))
      await sleep(10)
      expect(await http.post(server.url('/queued'), {}, text(''), 20)).toEqual(failure('timeout'))
      expect(await slow).toEqual(okReply(200, 'r:/slow'))
      const later = await Promise.all([
        outcome(http.post(server.url('/a'), {}, text(''), 1000)),
        outcome(http.post(server.url('/b'), {}, text(''), 1000)),
      ])
      expect(later).toEqual([okReply(200, 'r:/a'), okReply(200, 'r:/b')])
      expect(server.connections).toBe(1)
      expect(server.received.map((request) => request.url)).toEqual(['/slow', '/a', '/b'])
    })
  })

  describe('close', () => {
    it('fails later requests as unreachable without connecting', async () => {
      const server = await httpServer((_request, response) => response.end('ok'))
      const http = client()
      http.close()
      expect(await http.post(server.url(), {}, text(''), 1000)).toEqual(failure('unreachable'))
      await sleep(20)
      expect(server.connections).toBe(0)
    })

    it('closes idle connections', async () => {
      const server = await httpServer((_request, response) => response.end('ok'))
      const http = client()
      expect(await outcome(http.post(server.url(), {}, text(''), 1000))).toEqual(okReply(200, 'ok'))
      const closed = server.nextClose()
      http.close()
      await closed
      expect(server.openNow).toBe(0)
    })

    it('fails requests in flight and waiting as unreachable, at once', async () => {
      const server = await httpServer((_request, response) => {
        setTimeout(() => response.end('late'), 300)
      })
      const http = client({ socketsPerOriginMax: 1 })
      const inFlight = http.post(server.url(), {}, text(''), 2000)
      const waiting = http.post(server.url(), {}, text(''), 2000)
      await sleep(30)
      const started = performance.now()
      http.close()
      expect(await inFlight).toEqual(failure('unreachable'))
      expect(await waiting).toEqual(failure('unreachable'))
      expect(performance.now() - started).toBeLessThan(200)
      expect(server.received).toHaveLength(1)
    })
  })
})
