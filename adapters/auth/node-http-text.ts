import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { FetchTextError, FetchTextOptions, TextReply } from './fetch-text.ts'

// Calls made on every request (token introspection) reuse connections: node:http with keep-alive
// costs a quarter of fetch's CPU here, and Bun and Deno serve node:http too.
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
}

/**
 * POSTs `body` and reads the reply as text, like fetchText: a timeout over the whole exchange, a
 * bound on the reply, redirects not followed (their status is returned); never throws.
 */
export function postText(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: FetchTextOptions,
): Promise<Result<TextReply, FetchTextError>> {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return Promise.resolve(err('unreachable'))
  }
  const secure = target.protocol === 'https:'
  if (!secure && target.protocol !== 'http:') return Promise.resolve(err('unreachable'))
  return new Promise((resolve) => {
    const payload = Buffer.from(body)
    const outgoing = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...headers, 'content-length': payload.byteLength },
      },
      (response) => {
        const chunks: Buffer[] = []
        let bytes = 0
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength
          if (bytes > options.replyBytesMax) {
            response.destroy()
            resolve(err('too_large'))
            return
          }
          chunks.push(chunk)
        })
        response.on('end', () => {
          clearTimeout(timer)
          resolve(ok({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
        })
        response.on('error', () => resolve(err('unreachable')))
      },
    )
    const timer = setTimeout(() => {
      outgoing.destroy()
      resolve(err('unreachable'))
    }, options.timeoutMs)
    outgoing.on('error', () => {
      clearTimeout(timer)
      resolve(err('unreachable'))
    })
    outgoing.end(payload)
  })
}
