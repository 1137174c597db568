// The benchmark's sink peer: fulfills Prepares that carry the shared test condition and rejects
// the others, on raw keep-alive sockets. It reads only what the node's HTTP/1.1 client sends (one
// request at a time, Content-Length framing), so that the machine's two cores go to the node
// under test rather than to node:http in the load generator.
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { deserializeIlpPrepare } from 'ilp-packet'
import { randomBytes } from 'node:crypto'
import { condition, sinkReplies, type SinkPeer } from '../test/support/ilp-e2e.ts'

const headEnd = Buffer.from('\r\n\r\n')

function reply(status: string, body: Uint8Array): Buffer {
  const head = `HTTP/1.1 ${status}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.byteLength}\r\n\r\n`
  return Buffer.concat([Buffer.from(head, 'latin1'), body])
}

export async function startLeanSinkPeer(): Promise<SinkPeer> {
  const token = `sink-${randomBytes(8).toString('hex')}`
  const authorized = `authorization: bearer ${token}`.toLowerCase()
  const fulfill = reply('200 OK', sinkReplies.fulfill)
  const reject = reply('200 OK', sinkReplies.reject)
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.setNoDelay(true)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffered: Buffer = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
      for (;;) {
        const end = buffered.indexOf(headEnd)
        if (end < 0) return
        const lines = buffered.toString('latin1', 0, end).toLowerCase().split('\r\n')
        const length = Number(
          lines
            .find((line) => line.startsWith('content-length:'))
            ?.slice(15)
            .trim() ?? 'NaN',
        )
        if (!Number.isInteger(length)) return void socket.destroy()
        const bodyStart = end + headEnd.length
        if (buffered.length < bodyStart + length) return
        const body = buffered.subarray(bodyStart, bodyStart + length)
        buffered = buffered.subarray(bodyStart + length)
        if (!lines.includes(authorized)) {
          socket.write(reply('401 Unauthorized', Buffer.alloc(0)))
          continue
        }
        const prepare = deserializeIlpPrepare(body)
        socket.write(prepare.executionCondition.equals(condition) ? fulfill : reject)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/ilp`,
    token,
    received: [],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
