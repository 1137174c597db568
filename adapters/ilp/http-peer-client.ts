import type { IlpPeerClient } from '../../application/ports/ilp-peer-client.ts'
import { err, ok } from '../../domain/shared/result.ts'

export type HttpPeerClientOptions = {
  /** Replies are at most an ILP packet (32 KiB of data plus headers); more is a bad reply. */
  readonly replyBytesMax?: number
}

const replyBytesMaxDefault = 64 * 1024

/**
 * ILP-over-HTTP to peers: POST the Prepare as application/octet-stream with the peer's bearer
 * token, read the Fulfill or Reject from a 200 reply. The runtime's fetch keeps connections
 * alive and pools them per origin.
 */
export function makeHttpPeerClient(options: HttpPeerClientOptions = {}): IlpPeerClient {
  const replyBytesMax = options.replyBytesMax ?? replyBytesMaxDefault
  return {
    async send(peer, prepare, timeoutMs) {
      let response: Response
      try {
        response = await fetch(peer.endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${peer.authToken}`,
            'content-type': 'application/octet-stream',
            accept: 'application/octet-stream',
          },
          body: prepare as Uint8Array<ArrayBuffer>,
          redirect: 'manual',
          signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
        })
      } catch (error) {
        return err(isTimeout(error) ? 'timeout' : 'unreachable')
      }
      try {
        if (response.status !== 200) {
          await response.body?.cancel()
          return err('bad_reply')
        }
        const length = Number(response.headers.get('content-length') ?? '0')
        if (length > replyBytesMax) {
          await response.body?.cancel()
          return err('bad_reply')
        }
        const body = new Uint8Array(await response.arrayBuffer())
        return body.byteLength > replyBytesMax ? err('bad_reply') : ok(body)
      } catch (error) {
        return err(isTimeout(error) ? 'timeout' : 'bad_reply')
      }
    },
  }
}

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
