import { createServer, type Server } from 'node:http'

export type ReceivedWebhook = {
  readonly body: { id: string; type: string; data: Record<string, unknown> }
  readonly raw: string
  readonly signature: string | undefined
}

export type WebhookReceiverOptions = {
  /** Runs before the 200 answer: a test ASE reacting to an event (say, creating an address). */
  readonly onWebhook?: (body: ReceivedWebhook['body']) => Promise<void>
}

/** A test ASE: records every webhook POST and answers 200. */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<{
  readonly url: string
  readonly received: ReceivedWebhook[]
  waitFor(count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}> {
  const received: ReceivedWebhook[] = []
  const server: Server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    request.on('end', () => {
      const signature = request.headers['rafiki-signature']
      const body = JSON.parse(raw) as ReceivedWebhook['body']
      received.push({ body, raw, signature: Array.isArray(signature) ? signature[0] : signature })
      const handled = options.onWebhook?.(body) ?? Promise.resolve()
      handled.then(
        () => response.writeHead(200).end(),
        () => response.writeHead(500).end(),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`got ${received.length} of ${count} webhooks`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
