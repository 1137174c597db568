import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { IlpPeerClient, PeerSendError } from '../../application/ports/ilp-peer-client.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'

export type HttpPeerClientOptions = {
  /** Replies are at most an ILP packet (32 KiB of data plus headers); more is a bad reply. */
  readonly replyBytesMax?: number
  /** Open connections per peer at most; more requests wait for a free one. */
  readonly socketsPerPeerMax?: number
}

const replyBytesMaxDefault = 64 * 1024
const socketsPerPeerMaxDefault = 256

/**
 * ILP-over-HTTP to peers: POST the Prepare as application/octet-stream with the peer's bearer
 * token, read the Fulfill or Reject from a 200 reply. node:http with keep-alive pools (served by
 * Node, Bun and Deno alike): on the forwarding hot path it costs a quarter of what fetch does.
 */
export function makeHttpPeerClient(options: HttpPeerClientOptions = {}): IlpPeerClient & {
  close(): void
} {
  const replyBytesMax = options.replyBytesMax ?? replyBytesMaxDefault
  const maxSockets = options.socketsPerPeerMax ?? socketsPerPeerMaxDefault
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets }),
    https: new HttpsAgent({ keepAlive: true, maxSockets }),
  }
  return {
    send(peer, prepare, timeoutMs) {
      let url: URL
      try {
        url = new URL(peer.endpoint)
      } catch {
        return Promise.resolve(err('unreachable'))
      }
      const secure = url.protocol === 'https:'
      if (!secure && url.protocol !== 'http:') return Promise.resolve(err('unreachable'))
      return new Promise<Result<Uint8Array, PeerSendError>>((resolve) => {
        const request = (secure ? httpsRequest : httpRequest)(
          url,
          {
            method: 'POST',
            agent: secure ? agents.https : agents.http,
            headers: {
              authorization: `Bearer ${peer.authToken}`,
              'content-type': 'application/octet-stream',
              accept: 'application/octet-stream',
              'content-length': prepare.byteLength,
            },
            timeout: Math.max(1, timeoutMs),
          },
          (response) => readReply(response, replyBytesMax, resolve),
        )
        request.on('timeout', () => {
          request.destroy()
          resolve(err('timeout'))
        })
        request.on('error', () => resolve(err('unreachable')))
        request.end(prepare)
      })
    },
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

function readReply(
  response: IncomingMessage,
  replyBytesMax: number,
  resolve: (result: Result<Uint8Array, PeerSendError>) => void,
): void {
  if (response.statusCode !== 200) {
    response.resume()
    resolve(err('bad_reply'))
    return
  }
  const chunks: Buffer[] = []
  let length = 0
  response.on('data', (chunk: Buffer) => {
    length += chunk.length
    if (length > replyBytesMax) {
      response.destroy()
      resolve(err('bad_reply'))
      return
    }
    chunks.push(chunk)
  })
  response.on('end', () => resolve(ok(Buffer.concat(chunks))))
  response.on('error', () => resolve(err('bad_reply')))
}
