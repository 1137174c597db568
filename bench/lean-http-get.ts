// GETs for the request-rate benches on raw keep-alive sockets, one request at a time on each.
// The load generator shares the machine's two cores with the node under test: node:http would
// take a third of them, which then would not go to the node. Replies are read with the node's own
// HTTP/1.1 reply parser.
import { connect, type Socket } from 'node:net'
import { parseReply } from '../adapters/http/http1-reply.ts'

export type LeanReply = { readonly status: number; readonly body: Buffer }

export type LeanGetClient = {
  /** GETs an http: URL; rejects when the connection fails or the reply is malformed. */
  get(url: string, headers: Readonly<Record<string, string>>): Promise<LeanReply>
  close(): void
}

const limits = { headBytesMax: 16 * 1024, bodyBytesMax: 1024 * 1024 }

type Connection = {
  readonly socket: Socket
  received: Buffer
  pending: { resolve(reply: LeanReply): void; reject(error: Error): void } | undefined
}

export function makeLeanGetClient(): LeanGetClient {
  const idle = new Map<string, Connection[]>()
  const all = new Set<Connection>()

  function open(url: URL): Connection {
    const socket = connect({ host: url.hostname, port: Number(url.port || '80') })
    socket.setNoDelay(true)
    const connection: Connection = { socket, received: Buffer.alloc(0), pending: undefined }
    all.add(connection)
    const fail = (error: Error) => {
      const pending = connection.pending
      connection.pending = undefined
      socket.destroy()
      pending?.reject(error)
    }
    socket.on('data', (chunk: Buffer) => {
      connection.received =
        connection.received.length === 0 ? chunk : Buffer.concat([connection.received, chunk])
      const reply = parseReply(connection.received, limits)
      if (reply.kind === 'more') return
      if (reply.kind !== 'done' || !reply.reusable) {
        return fail(new Error(`lean GET: ${reply.kind === 'bad' ? reply.reason : reply.kind}`))
      }
      const pending = connection.pending
      connection.pending = undefined
      connection.received = Buffer.alloc(0)
      const list = idle.get(url.host)
      if (list === undefined) idle.set(url.host, [connection])
      else list.push(connection)
      pending?.resolve({ status: reply.status, body: reply.body })
    })
    socket.on('error', (error) => fail(error))
    socket.on('close', () => {
      all.delete(connection)
      const list = idle.get(url.host) ?? []
      const at = list.indexOf(connection)
      if (at >= 0) list.splice(at, 1)
      fail(new Error('lean GET: connection closed'))
    })
    return connection
  }

  return {
    get(target, headers) {
      const url = new URL(target)
      let head = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`
      const connection = idle.get(url.host)?.pop() ?? open(url)
      return new Promise<LeanReply>((resolve, reject) => {
        connection.pending = { resolve, reject }
        connection.socket.write(`${head}\r\n`, 'latin1')
      })
    },
    close() {
      for (const connection of all) connection.socket.destroy()
    },
  }
}
