import { getRequestListener } from '@hono/node-server'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OctetPostHandler } from '../adapters/http/connector-app.ts'
import { internalErrorBody } from '../adapters/http/json-fallbacks.ts'
import type { Serve } from './serve.ts'

export const serveOnNode: Serve = (app, { port, hostname }) =>
  new Promise((resolve, reject) => {
    const viaFetch = getRequestListener(app.fetch)
    const { octetPost } = app
    const server = createServer(
      octetPost === undefined
        ? viaFetch
        : (request, response) => {
            if (request.method !== 'POST') return viaFetch(request, response)
            answerOctetPost(octetPost, request, response)
          },
    )
    server.once('error', reject)
    server.listen(port, hostname, () => {
      server.off('error', reject)
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            // Idle keep-alive sockets would hold close() open; in-flight ones finish first.
            server.closeIdleConnections()
          }),
      })
    })
  })

const empty = new Uint8Array(0)
const internalError = JSON.stringify(internalErrorBody)

/**
 * A POST to the connector port straight from node:http to the ILP-over-HTTP handler: on the
 * forwarding hot path the web Request/Response objects would cost more than the packet.
 */
function answerOctetPost(
  handler: OctetPostHandler,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const authorization = request.headers.authorization
  const declaredLength = Number(request.headers['content-length'] ?? '0') || 0
  const reply = (body: Uint8Array, length = declaredLength) =>
    handler.handle({ authorization, declaredLength: length, body }).then(
      (answer) => {
        response.writeHead(answer.status, {
          'content-type': answer.contentType,
          'content-length': answer.body.byteLength,
        })
        response.end(answer.body)
      },
      () => {
        // The handler answers its own errors (500, logged); this is the last resort.
        response.writeHead(500, { 'content-type': 'application/json' }).end(internalError)
      },
    )
  if (declaredLength > handler.bodyBytesMax) {
    // Not read: the connection cannot be reused once the answer is out.
    response.shouldKeepAlive = false
    void reply(empty)
    return
  }
  const chunks: Buffer[] = []
  let length = 0
  let refused = false
  request.on('data', (chunk: Buffer) => {
    length += chunk.byteLength
    if (refused) return
    if (length > handler.bodyBytesMax) {
      refused = true
      response.shouldKeepAlive = false
      void reply(empty, length)
      return
    }
    chunks.push(chunk)
  })
  request.on('end', () => {
    if (!refused) void reply(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
  })
  request.on('error', () => response.destroy())
}
