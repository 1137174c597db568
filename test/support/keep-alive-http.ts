import { Agent, request } from 'node:http'

export type HttpReply = { readonly status: number; readonly body: Buffer }

// Load generators and test peers use node:http with keep-alive: fetch costs this machine about
// four times the CPU per request, which would be billed to the node under test.
const agent = new Agent({ keepAlive: true, maxSockets: 256 })

/** One plain-http request over a pooled keep-alive connection. */
export function httpCall(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: Uint8Array,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const outgoing = request(
      target,
      {
        method,
        agent,
        headers: body === undefined ? headers : { ...headers, 'content-length': body.byteLength },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
        )
        response.on('error', reject)
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}
