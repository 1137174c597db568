import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeHttpPeerClient } from './http-peer-client.ts'

describe('ILP-over-HTTP peer client', () => {
  let server: Server
  let base: string
  const seen: { authorization: string | undefined; type: string | undefined; body: string }[] = []
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        seen.push({
          authorization: request.headers.authorization,
          type: request.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        })
        if (request.url === '/slow') return void setTimeout(() => response.end('late'), 500)
        if (request.url === '/500') return void response.writeHead(500).end()
        if (request.url === '/big') return void response.end(Buffer.alloc(2048))
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end('reply')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  const client = makeHttpPeerClient({ replyBytesMax: 1024 })
  const send = (path: string, timeoutMs = 1000) =>
    client.send(
      { endpoint: `${base}${path}`, authToken: 'secret' },
      Buffer.from('prepare'),
      timeoutMs,
    )

  it('posts the packet with the bearer token and returns the reply', async () => {
    const result = await send('/ilp')
    expect(result.ok && Buffer.from(result.value).toString()).toBe('reply')
    expect(seen.at(-1)).toEqual({
      authorization: 'Bearer secret',
      type: 'application/octet-stream',
      body: 'prepare',
    })
  })

  it('tells a bad reply, a timeout and an unreachable peer apart', async () => {
    expect(await send('/500')).toEqual({ ok: false, error: 'bad_reply' })
    expect(await send('/big')).toEqual({ ok: false, error: 'bad_reply' })
    expect(await send('/slow', 100)).toEqual({ ok: false, error: 'timeout' })
    const refused = await client.send(
      { endpoint: 'http://127.0.0.1:9/', authToken: 'x' },
      Buffer.from('p'),
      1000,
    )
    expect(refused).toEqual({ ok: false, error: 'unreachable' })
    const invalid = await client.send(
      { endpoint: 'not a url', authToken: 'x' },
      Buffer.from('p'),
      1000,
    )
    expect(invalid).toEqual({ ok: false, error: 'unreachable' })
  })
})
