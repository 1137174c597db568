import type { WebhookBody } from '../../domain/webhooks/webhook-event.ts'
import type { Result } from '../../domain/shared/result.ts'

export type WebhookSendError =
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'network'; readonly message: string }
  /** Any reply but 200 (Rafiki counts only 200 as delivered). */
  | { readonly kind: 'status'; readonly status: number }

export interface WebhookSender {
  /** POSTs the event once; never throws. */
  send(body: WebhookBody): Promise<Result<void, WebhookSendError>>
}
