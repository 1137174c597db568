import {
  nextWebhookAttempt,
  webhookBodyOf,
  type WebhookRetryPolicy,
} from '../../domain/webhooks/webhook-event.ts'
import type { Clock } from '../ports/clock.ts'
import type { Logger } from '../ports/logger.ts'
import type { WebhookEventRepository } from '../ports/webhook-event-repository.ts'
import type { WebhookSendError, WebhookSender } from '../ports/webhook-sender.ts'

/** Delivers one due event; false when none was due (the worker may go idle). */
export type DeliverNextWebhook = () => Promise<boolean>

export type DeliverNextWebhookDeps = {
  readonly events: WebhookEventRepository
  readonly sender: WebhookSender
  readonly clock: Clock
  readonly logger: Logger
  readonly retryPolicy: WebhookRetryPolicy
  /**
   * How long a claim keeps other workers off the event. Make it well over WEBHOOK_TIMEOUT: a
   * lease that ends while the POST is still running lets a second worker send it again.
   */
  readonly leaseMs: number
}

const lastErrorLengthMax = 500

export const makeDeliverNextWebhook =
  (deps: DeliverNextWebhookDeps): DeliverNextWebhook =>
  async () => {
    const { events, logger } = deps
    const event = await events.claimNext(new Date(deps.clock.now()), deps.leaseMs)
    if (event === undefined) return false
    // No transaction is open here: the claim committed, and the lease guards the POST.
    const sent = await deps.sender.send(webhookBodyOf(event))
    const nowMs = deps.clock.now()
    const fields = { webhookEventId: event.id, type: event.type, attempts: event.attempts }
    if (sent.ok) {
      await events.markDelivered(event.id, new Date(nowMs))
      logger.debug(fields, 'webhook delivered')
      return true
    }
    const error = describeSendError(sent.error).slice(0, lastErrorLengthMax)
    const decision = nextWebhookAttempt(deps.retryPolicy, event.attempts, nowMs)
    if (decision.kind === 'retry') {
      await events.scheduleRetry(event.id, decision.nextAttemptAt, error)
      logger.warn({ ...fields, error, nextAttemptAt: decision.nextAttemptAt }, 'webhook failed')
    } else {
      await events.markFailed(event.id, new Date(nowMs), error)
      logger.error({ ...fields, error }, 'webhook failed for good: retries exhausted')
    }
    return true
  }

export function describeSendError(error: WebhookSendError): string {
  switch (error.kind) {
    case 'timeout':
      return `no reply within ${error.timeoutMs} ms`
    case 'network':
      return `network error: ${error.message}`
    case 'status':
      return `reply status ${error.status}, expected 200`
  }
}
