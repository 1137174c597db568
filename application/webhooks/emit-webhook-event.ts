import { assert } from '../../domain/shared/assert.ts'
import { canonicalJson } from '../../domain/shared/canonical-json.ts'
import type {
  JsonObject,
  WebhookEvent,
  WebhookEventType,
  WebhookWithdrawal,
} from '../../domain/webhooks/webhook-event.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import { webhookWorkTopic, type WebhookEventRepository } from '../ports/webhook-event-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'

export type WebhookEventInput = {
  readonly type: WebhookEventType
  readonly data: JsonObject
  /** Liquidity the ASE is asked to withdraw; recorded with the event, not sent. */
  readonly withdrawal?: WebhookWithdrawal | undefined
}

/**
 * Inside a unit of work: adds the event through `events`, the repository bound to the caller's
 * transaction, so it commits or rolls back with the state change. It wakes nobody in this
 * process: after the commit the caller calls `wakeWebhookWorkers` (other replicas are woken by
 * the database at commit).
 */
export type StageWebhookEvent = (
  events: WebhookEventRepository,
  input: WebhookEventInput,
) => Promise<WebhookEvent>

/** Outside a transaction: adds the event and wakes the delivery workers at once. */
export type EmitWebhookEvent = (input: WebhookEventInput) => Promise<WebhookEvent>

export type StageWebhookEventDeps = {
  readonly clock: Clock
  readonly ids: IdGenerator
}

export type EmitWebhookEventDeps = StageWebhookEventDeps & {
  readonly events: WebhookEventRepository
  readonly signal: WorkSignal
}

export const makeStageWebhookEvent =
  (deps: StageWebhookEventDeps): StageWebhookEvent =>
  async (events, input) => {
    // Fails here, in the caller's transaction, rather than in every delivery attempt later.
    canonicalJson(input.data)
    const withdrawal = input.withdrawal ?? null
    assert(withdrawal === null || withdrawal.amount > 0n, 'webhook withdrawal: amount > 0')
    const createdAt = new Date(deps.clock.now())
    const event: WebhookEvent = {
      id: deps.ids.uuid(),
      type: input.type,
      data: input.data,
      withdrawal,
      createdAt,
      attempts: 0,
      nextAttemptAt: createdAt,
      deliveredAt: null,
      failedAt: null,
      lastError: null,
    }
    await events.add({ id: event.id, type: event.type, data: event.data, createdAt, withdrawal })
    return event
  }

/** Call after committing a unit of work that staged webhook events. */
export const wakeWebhookWorkers = (signal: WorkSignal): void => signal.notify(webhookWorkTopic)

export const makeEmitWebhookEvent = (deps: EmitWebhookEventDeps): EmitWebhookEvent => {
  const stage = makeStageWebhookEvent(deps)
  return async (input) => {
    const event = await stage(deps.events, input)
    wakeWebhookWorkers(deps.signal)
    return event
  }
}
