import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeHttpClientNames } from './http-client-names.ts'

describe('client names from wallet addresses', () => {
  let server: Server
  let base: string
  const names = makeHttpClientNames({ timeoutMs: 300 })

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/alice') {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ id: `${base}/alice`, publicName: 'Alice <3' }))
      } else if (request.url === '/nameless') {
        response.end(JSON.stringify({ id: `${base}/nameless` }))
      } else if (request.url === '/garbage') {
        response.end('not json')
      } else if (request.url === '/slow') {
        setTimeout(() => response.end('{"publicName":"late"}'), 1000)
      } else {
        response.writeHead(404).end()
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    base = `http://127.0.0.1:${address.port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('reads the publicName', async () => {
    expect(await names.publicName(`${base}/alice`)).toBe('Alice <3')
  })

  it('has none for a missing name, a 404, bad JSON, a slow server or a non-http URL', async () => {
    expect(await names.publicName(`${base}/nameless`)).toBeUndefined()
    expect(await names.publicName(`${base}/missing`)).toBeUndefined()
    expect(await names.publicName(`${base}/garbage`)).toBeUndefined()
    expect(await names.publicName(`${base}/slow`)).toBeUndefined()
    expect(await names.publicName('file:///etc/passwd')).toBeUndefined()
  })
})
