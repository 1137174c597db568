import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebhookBody } from '../../domain/webhooks/webhook-event.ts'
import { makeFakeClock } from '../memory/fake-clock.ts'
import { makeHttpWebhookSender } from './http-webhook-sender.ts'

type Received = { readonly headers: IncomingMessage['headers']; readonly body: string }
type Reply = (response: ServerResponse) => void

const body: WebhookBody = {
  id: '0e7b6a47-5c6f-4c2b-8e3a-2a1b0c9d8e7f',
  type: 'incoming_payment.completed',
  data: { id: 'ip-1', receivedAmount: { value: '100', assetCode: 'USD', assetScale: 2 } },
}
const canonical =
  '{"data":{"id":"ip-1","receivedAmount":{"assetCode":"USD","assetScale":2,"value":"100"}},' +
  '"id":"0e7b6a47-5c6f-4c2b-8e3a-2a1b0c9d8e7f","type":"incoming_payment.completed"}'

let server: Server | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** A receiver on 127.0.0.1:0 that records each request and answers with `reply`. */
async function receiver(reply: Reply): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      reply(response)
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/webhooks`, received }
}

const status =
  (code: number): Reply =>
  (response) =>
    response.writeHead(code).end('ok')

describe('HTTP webhook sender', () => {
  it('POSTs {id, type, data} as canonical JSON; a 200 is delivered', async () => {
    const { url, received } = await receiver(status(200))
    const sender = makeHttpWebhookSender({ url, timeoutMs: 2000, clock: makeFakeClock() })
    expect(await sender.send({ ...body, createdAt: 'not sent' } as WebhookBody)).toEqual({
      ok: true,
      value: undefined,
    })
    expect(received).toHaveLength(1)
    expect(received[0]?.body).toBe(canonical)
    expect(received[0]?.headers['content-type']).toBe('application/json')
    expect(received[0]?.headers['rafiki-signature']).toBeUndefined()
  })

  it('signs with SIGNATURE_SECRET: the receiver can verify the header', async () => {
    const { url, received } = await receiver(status(200))
    const clock = makeFakeClock(1_735_689_600_123)
    const signing = { secret: 'shh', version: 1 }
    const sender = makeHttpWebhookSender({ url, timeoutMs: 2000, signing, clock })
    await sender.send(body)
    const header = String(received[0]?.headers['rafiki-signature'])
    const match = /^t=(\d+), v1=([0-9a-f]{64})$/.exec(header)
    expect(match?.[1]).toBe('1735689600123')
    const expected = createHmac('sha256', 'shh')
      .update(`${match?.[1]}.${received[0]?.body}`)
      .digest('hex')
    expect(match?.[2]).toBe(expected)
  })

  it.each([500, 201, 204, 302, 404])('reports a %i reply as a status error', async (code) => {
    const { url } = await receiver(status(code))
    const sender = makeHttpWebhookSender({ url, timeoutMs: 2000, clock: makeFakeClock() })
    expect(await sender.send(body)).toEqual({ ok: false, error: { kind: 'status', status: code } })
  })

  it('gives up on a slow receiver within WEBHOOK_TIMEOUT', async () => {
    const { url } = await receiver((response) => setTimeout(() => status(200)(response), 5000))
    const sender = makeHttpWebhookSender({ url, timeoutMs: 200, clock: makeFakeClock() })
    const startedMs = performance.now()
    expect(await sender.send(body)).toEqual({
      ok: false,
      error: { kind: 'timeout', timeoutMs: 200 },
    })
    const elapsedMs = performance.now() - startedMs
    expect(elapsedMs).toBeGreaterThanOrEqual(190)
    expect(elapsedMs).toBeLessThan(1000)
  })

  it('times out a reply whose body never ends', async () => {
    const { url } = await receiver((response) => response.writeHead(200).write('partial'))
    const sender = makeHttpWebhookSender({ url, timeoutMs: 200, clock: makeFakeClock() })
    expect(await sender.send(body)).toEqual({
      ok: false,
      error: { kind: 'timeout', timeoutMs: 200 },
    })
  })

  it('is delivered on a 200 with a large reply, reading only part of it', async () => {
    const { url } = await receiver((response) => response.writeHead(200).end('x'.repeat(4 << 20)))
    const sender = makeHttpWebhookSender({ url, timeoutMs: 2000, clock: makeFakeClock() })
    expect(await sender.send(body)).toEqual({ ok: true, value: undefined })
  })

  it('reports a refused connection as a network error, without throwing', async () => {
    const { url } = await receiver(status(200))
    await new Promise((resolve) => server?.close(resolve))
    server = undefined
    const sender = makeHttpWebhookSender({ url, timeoutMs: 2000, clock: makeFakeClock() })
    const sent = await sender.send(body)
    expect(sent.ok).toBe(false)
    expect(!sent.ok && sent.error).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('ECONNREFUSED'),
    })
  })
})
