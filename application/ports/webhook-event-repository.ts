import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Result } from '../../domain/shared/result.ts'
import type {
  JsonObject,
  WebhookEvent,
  WebhookEventType,
  WebhookWithdrawal,
} from '../../domain/webhooks/webhook-event.ts'

/** The work-signal topic that wakes webhook delivery workers. */
export const webhookWorkTopic = 'webhook'

export type NewWebhookEvent = {
  readonly id: string
  readonly type: WebhookEventType
  readonly data: JsonObject
  /** Also the first nextAttemptAt: a new event is due at once. */
  readonly createdAt: Date
  /** What the event asks the ASE to withdraw, if anything. */
  readonly withdrawal?: WebhookWithdrawal | null | undefined
}

export type WebhookEventFilter = {
  /** Only these types; an empty list matches nothing, an absent one everything. */
  readonly types?: readonly WebhookEventType[] | undefined
}

/**
 * The webhook outbox. An adapter bound to a transaction writes the event with the state change
 * that caused it; a shared-database adapter also wakes other processes' `webhookWorkTopic`
 * workers when that transaction commits (this process's own workers are woken by the caller).
 */
export interface WebhookEventRepository {
  add(event: NewWebhookEvent): Promise<void>
  getById(id: string): Promise<WebhookEvent | undefined>
  /**
   * The newest event of one of `types` that asks to withdraw from ledger account `accountId`;
   * undefined when there is none.
   */
  latestWithdrawal(
    accountId: string,
    types: readonly WebhookEventType[],
  ): Promise<WebhookEvent | undefined>
  /** In (createdAt, id) order; unknown_cursor when the cursor is not an event the filter keeps. */
  list(
    request: PageRequest,
    filter?: WebhookEventFilter,
  ): Promise<Result<Page<WebhookEvent>, 'unknown_cursor'>>
  /**
   * Leases the oldest due, undelivered, unfailed event whose lease (if any) has expired, counts
   * the attempt and returns it; undefined when nothing is due. Concurrent callers in any process
   * never get the same event while its lease (now + leaseMs) runs.
   */
  claimNext(now: Date, leaseMs: number): Promise<WebhookEvent | undefined>
  /** The outcome of an attempt; each ends the lease and is ignored once an event is final. */
  markDelivered(id: string, at: Date): Promise<void>
  scheduleRetry(id: string, nextAttemptAt: Date, error: string): Promise<void>
  markFailed(id: string, at: Date, error: string): Promise<void>
}
