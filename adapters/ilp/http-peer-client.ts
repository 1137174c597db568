import type { IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { makeHttp1Client } from '../http/http1-client.ts'
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
 * token, read the Fulfill or Reject from a 200 reply. Keep-alive pools per peer: the small
 * HTTP/1.1 client for http: peers (the forwarding hot path), node:https for https: ones.
 */
export function makeHttpPeerClient(options: HttpPeerClientOptions = {}): IlpPeerClient & {
  close(): void
} {
  const replyBytesMax = options.replyBytesMax ?? replyBytesMaxDefault
  const maxSockets = options.socketsPerPeerMax ?? socketsPerPeerMaxDefault
  const plain = makeHttp1Client({ socketsPerOriginMax: maxSockets, replyBytesMax })
  const https = new HttpsAgent({ keepAlive: true, maxSockets })
  return {
    send(peer, prepare, timeoutMs) {
      let url: URL
      try {
        url = new URL(peer.endpoint)
      } catch {
        return Promise.resolve(err('unreachable'))
      }
      const headers = {
        authorization: `Bearer ${peer.authToken}`,
        'content-type': 'application/octet-stream',
        accept: 'application/octet-stream',
      }
      if (url.protocol === 'http:') {
        return plain.post(url, headers, prepare, timeoutMs).then((reply) => {
          if (!reply.ok) return reply
          return reply.value.status === 200 ? ok(reply.value.body) : err('bad_reply')
        })
      }
      if (url.protocol !== 'https:') return Promise.resolve(err('unreachable'))
      return new Promise<Result<Uint8Array, PeerSendError>>((resolve) => {
        const request = httpsRequest(
          url,
          {
            method: 'POST',
            agent: https,
            headers: { ...headers, 'content-length': prepare.byteLength },
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
      plain.close()
      https.destroy()
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
