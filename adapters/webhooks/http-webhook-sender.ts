import { createHmac } from 'node:crypto'
import type { Clock } from '../../application/ports/clock.ts'
import type { WebhookSendError, WebhookSender } from '../../application/ports/webhook-sender.ts'
import { canonicalJson } from '../../domain/shared/canonical-json.ts'
import { err, ok } from '../../domain/shared/result.ts'
import { assert } from '../../domain/shared/assert.ts'
import {
  formatWebhookSignature,
  webhookBodyOf,
  webhookSignatureHeader,
  webhookSignaturePayload,
  type WebhookBody,
} from '../../domain/webhooks/webhook-event.ts'

export type WebhookSigning = {
  /** SIGNATURE_SECRET */
  readonly secret: string
  /** SIGNATURE_VERSION */
  readonly version: number
}

export type HttpWebhookSenderOptions = {
  /** WEBHOOK_URL */
  readonly url: string
  /** WEBHOOK_TIMEOUT: the whole exchange, reply body included. */
  readonly timeoutMs: number
  /** Absent: no Rafiki-Signature header (SIGNATURE_SECRET unset). */
  readonly signing?: WebhookSigning | undefined
  readonly clock: Clock
}

// Receivers answer with a short text or nothing at all; no reply needs to be bigger.
const replyBytesMax = 64 * 1024

/** `Rafiki-Signature` for `body` at `timestampMs`: HMAC-SHA256 over the signature payload. */
export function signWebhook(
  body: WebhookBody,
  signing: WebhookSigning,
  timestampMs: number,
): string {
  const digest = createHmac('sha256', signing.secret)
    .update(webhookSignaturePayload(timestampMs, body))
    .digest('hex')
  return formatWebhookSignature(timestampMs, signing.version, digest)
}

/** POSTs {id, type, data} as JSON; only a 200 reply counts as delivered. */
export function makeHttpWebhookSender(options: HttpWebhookSenderOptions): WebhookSender {
  const { url, timeoutMs, signing, clock } = options
  assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, 'webhook sender: timeoutMs > 0')
  return {
    async send(body) {
      // Canonical JSON, so the bytes sent are exactly the bytes signed.
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (signing) headers[webhookSignatureHeader] = signWebhook(body, signing, clock.now())
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: canonicalJson(webhookBodyOf(body)),
          // A redirect is not a 200 from WEBHOOK_URL, and must not carry the event elsewhere.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        })
        await drain(response.body)
        return response.status === 200
          ? ok(undefined)
          : err({ kind: 'status', status: response.status })
      } catch (error) {
        return err(sendError(error, timeoutMs))
      }
    },
  }
}

/**
 * Reads the reply to its end, under the same timeout, so the connection can be reused; a reply
 * longer than replyBytesMax is cut off instead of being held in memory.
 */
async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body === null) return
  const reader = body.getReader()
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    bytes += value.byteLength
    if (bytes > replyBytesMax) return reader.cancel()
  }
}

function sendError(error: unknown, timeoutMs: number): WebhookSendError {
  if (error instanceof Error && error.name === 'TimeoutError') return { kind: 'timeout', timeoutMs }
  return { kind: 'network', message: describe(error) }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  // Node reports a refused "localhost" (::1 and 127.0.0.1) as an AggregateError with no message.
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map(describe).join('; ')
  }
  // undici says only "fetch failed"; the reason (ECONNREFUSED, ...) is in the cause.
  return error.cause === undefined ? error.message : `${error.message}: ${describe(error.cause)}`
}
