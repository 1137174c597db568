// A small HTTP/1.1 client for plain-http POSTs and GETs on keep-alive connections, pooled per
// origin.
// node:http's client costs this machine about 120 µs of CPU a request, most of the forwarding
// hot path's budget; this one writes each request in one piece and reads the reply with
// parseReply, for about a tenth of that. node:net is served by Node, Bun and Deno alike.
import { connect, type Socket } from 'node:net'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { parseReply, type ReplyLimits } from './http1-reply.ts'

export type Http1Failure =
  /** No reply byte came back: refused, reset, closed, or no connection could be opened. */
  | 'unreachable'
  | 'timeout'
  /** A reply came that is no well-formed HTTP/1.1 response within the limits. */
  | 'bad_reply'

export type Http1Reply = { readonly status: number; readonly body: Buffer }

export type Http1ClientOptions = {
  /** Open connections per origin at most; more requests wait for a free one. */
  readonly socketsPerOriginMax: number
  readonly replyBytesMax: number
  /** An idle connection is closed after this long (before servers commonly drop it). */
  readonly idleMs?: number
}

export interface Http1Client {
  /**
   * POSTs `body` to an http: URL. Header names and values must not hold CR or LF (refused as
   * unreachable). Never rejects.
   */
  post(
    url: URL,
    headers: Readonly<Record<string, string>>,
    body: Uint8Array,
    timeoutMs: number,
  ): Promise<Result<Http1Reply, Http1Failure>>
  /** GETs an http: URL, as post() does otherwise (no body, no Content-Length). */
  get(
    url: URL,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
  ): Promise<Result<Http1Reply, Http1Failure>>
  /** Closes every connection; requests in flight fail as unreachable. */
  close(): void
}

/** One request on a connection, until its reply is read or it failed. */
type Exchange = {
  received: Buffer
  onData(chunk: Buffer): void
  onClose(): void
}

type Connection = {
  readonly socket: Socket
  exchange: Exchange | undefined
  idleTimer: ReturnType<typeof setTimeout> | undefined
}

/** Given a connection when one is free, or undefined when the client was closed. */
type Waiter = (connection: Connection | undefined) => void

type Pool = {
  readonly host: string
  readonly port: number
  readonly idle: Connection[]
  readonly waiting: Waiter[]
  open: number
}

const headBytesMax = 16 * 1024
const idleMsDefault = 4_000
const forbidden = /[\r\n]/

export function makeHttp1Client(options: Http1ClientOptions): Http1Client {
  const limits: ReplyLimits = { headBytesMax, bodyBytesMax: options.replyBytesMax }
  const idleMs = options.idleMs ?? idleMsDefault
  const pools = new Map<string, Pool>()
  const connections = new Set<Connection>()
  let closed = false

  function poolOf(url: URL): Pool {
    const port = Number(url.port || '80')
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
    const key = `${host}:${port}`
    let pool = pools.get(key)
    if (pool === undefined) {
      pool = { host, port, idle: [], waiting: [], open: 0 }
      pools.set(key, pool)
    }
    return pool
  }

  function open(pool: Pool): Connection {
    pool.open += 1
    const socket = connect({ host: pool.host, port: pool.port })
    socket.setNoDelay(true)
    const connection: Connection = { socket, exchange: undefined, idleTimer: undefined }
    connections.add(connection)
    socket.on('data', (chunk: Buffer) => {
      // Bytes nobody asked for: the connection is out of step.
      if (connection.exchange === undefined) socket.destroy()
      else connection.exchange.onData(chunk)
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      pool.open -= 1
      connections.delete(connection)
      clearTimeout(connection.idleTimer)
      unidle(pool, connection)
      connection.exchange?.onClose()
      connection.exchange = undefined
      const next = pool.waiting.shift()
      if (next !== undefined && !closed) next(open(pool))
    })
    return connection
  }

  function unidle(pool: Pool, connection: Connection): void {
    const at = pool.idle.indexOf(connection)
    if (at >= 0) pool.idle.splice(at, 1)
  }

  /** Calls `waiter` with a connection now, or queues it until one is free. */
  function acquire(pool: Pool, waiter: Waiter): void {
    for (let idle = pool.idle.pop(); idle !== undefined; idle = pool.idle.pop()) {
      clearTimeout(idle.idleTimer)
      // Destroyed, its 'close' still to come: it leaves the pool then.
      if (!idle.socket.destroyed) return waiter(idle)
    }
    if (pool.open < options.socketsPerOriginMax) return waiter(open(pool))
    pool.waiting.push(waiter)
  }

  function release(pool: Pool, connection: Connection, reusable: boolean): void {
    connection.exchange = undefined
    if (!reusable || closed) {
      connection.socket.destroy()
      return
    }
    const next = pool.waiting.shift()
    if (next !== undefined) return next(connection)
    connection.idleTimer = setTimeout(() => {
      // Out of the idle list at once: its 'close' comes a turn later, too late for a request.
      unidle(pool, connection)
      connection.socket.destroy()
    }, idleMs)
    connection.idleTimer.unref?.()
    pool.idle.push(connection)
  }

  function send(
    method: 'GET' | 'POST',
    url: URL,
    headers: Readonly<Record<string, string>>,
    body: Uint8Array | undefined,
    timeoutMs: number,
  ): Promise<Result<Http1Reply, Http1Failure>> {
    if (closed || url.protocol !== 'http:') return Promise.resolve(err('unreachable'))
    const head = requestHead(method, url, headers, body?.byteLength)
    if (head === undefined) return Promise.resolve(err('unreachable'))
    const pool = poolOf(url)
    return new Promise((resolve) => {
      let connection: Connection | undefined
      let settled = false
      const finish = (result: Result<Http1Reply, Http1Failure>, reusable: boolean) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (connection !== undefined) release(pool, connection, reusable)
        resolve(result)
      }
      const timer = setTimeout(
        () => {
          if (connection === undefined) {
            // Still waiting for a connection: give up the place in the queue.
            const at = pool.waiting.indexOf(start)
            if (at >= 0) pool.waiting.splice(at, 1)
          }
          finish(err('timeout'), false)
        },
        Math.max(1, timeoutMs),
      )
      const start: Waiter = (given) => {
        if (given === undefined) return finish(err('unreachable'), false)
        if (settled) return release(pool, given, true)
        connection = given
        const exchange: Exchange = {
          received: Buffer.alloc(0),
          onData(chunk) {
            exchange.received =
              exchange.received.length === 0 ? chunk : Buffer.concat([exchange.received, chunk])
            const reply = parseReply(exchange.received, limits)
            if (reply.kind === 'done') {
              finish(ok({ status: reply.status, body: reply.body }), reply.reusable)
            } else if (reply.kind === 'bad') {
              finish(err('bad_reply'), false)
            } else if (
              reply.kind === 'until-close' &&
              exchange.received.length - reply.bodyStart > options.replyBytesMax
            ) {
              finish(err('bad_reply'), false)
            }
          },
          onClose() {
            connection = undefined
            if (closed || exchange.received.length === 0) {
              return finish(err('unreachable'), false)
            }
            const reply = parseReply(exchange.received, limits)
            if (reply.kind !== 'until-close') return finish(err('bad_reply'), false)
            const replyBody = exchange.received.subarray(reply.bodyStart)
            finish(ok({ status: reply.status, body: replyBody }), false)
          },
        }
        given.exchange = exchange
        given.socket.write(body === undefined ? head : Buffer.concat([head, body]))
      }
      acquire(pool, start)
    })
  }

  return {
    post: (url, headers, body, timeoutMs) => send('POST', url, headers, body, timeoutMs),
    get: (url, headers, timeoutMs) => send('GET', url, headers, undefined, timeoutMs),
    close() {
      closed = true
      // Requests in flight fail when their connection's 'close' comes, those waiting at once.
      for (const connection of connections) connection.socket.destroy()
      for (const pool of pools.values()) {
        for (const waiter of pool.waiting.splice(0)) waiter(undefined)
      }
    },
  }
}

/** The request line and headers, or undefined when a header would break the framing. */
function requestHead(
  method: 'GET' | 'POST',
  url: URL,
  headers: Readonly<Record<string, string>>,
  length: number | undefined,
): Buffer | undefined {
  let text = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`
  for (const [name, value] of Object.entries(headers)) {
    if (forbidden.test(name) || forbidden.test(value)) return undefined
    text += `${name}: ${value}\r\n`
  }
  if (length !== undefined) text += `Content-Length: ${length}\r\n`
  return Buffer.from(`${text}\r\n`, 'latin1')
}
