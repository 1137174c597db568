import { assert } from '../shared/assert.ts'
import { canonicalJson } from '../shared/canonical-json.ts'

/** The event types Rafiki posts to WEBHOOK_URL (COMPAT.md, "Webhooks"). */
export const webhookEventTypes = [
  'incoming_payment.created',
  'incoming_payment.completed',
  'incoming_payment.expired',
  'outgoing_payment.created',
  'outgoing_payment.completed',
  'outgoing_payment.failed',
  'wallet_address.not_found',
  'wallet_address.web_monetization',
  'asset.liquidity_low',
  'peer.liquidity_low',
] as const

export type WebhookEventType = (typeof webhookEventTypes)[number]

const knownTypes: ReadonlySet<string> = new Set(webhookEventTypes)

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  knownTypes.has(value)

export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

export type JsonObject = { readonly [key: string]: JsonValue }

/** What the receiver gets, and what the signature covers. */
export type WebhookBody = {
  readonly id: string
  readonly type: WebhookEventType
  readonly data: JsonObject
}

/**
 * Liquidity an event asks the ASE to withdraw (Rafiki's webhookEvents.withdrawal* columns): kept
 * with the event, not sent in its data, and withdrawn by a transfer whose id is the event's.
 */
export type WebhookWithdrawal = {
  /** The ledger account to withdraw from. */
  readonly accountId: string
  readonly assetId: string
  /** Greater than zero. */
  readonly amount: bigint
}

/** An outbox row: written with the state change that caused it, delivered later by a worker. */
export type WebhookEvent = WebhookBody & {
  readonly withdrawal: WebhookWithdrawal | null
  readonly createdAt: Date
  /** Delivery attempts started so far (a claim counts, even if its worker died). */
  readonly attempts: number
  /** Not claimable before this time. */
  readonly nextAttemptAt: Date
  readonly deliveredAt: Date | null
  /** Set when the retries ran out; the event is never tried again. */
  readonly failedAt: Date | null
  readonly lastError: string | null
}

export const webhookBodyOf = (event: WebhookBody): WebhookBody => ({
  id: event.id,
  type: event.type,
  data: event.data,
})

export type WebhookRetryPolicy = {
  /** The wait after attempt n is n times this... */
  readonly backoffStepMs: number
  /** ...but never longer than this. */
  readonly backoffMaxMs: number
  /** WEBHOOK_MAX_RETRY: after this many failed attempts the event fails for good. */
  readonly attemptsMax: number
}

/** Rafiki's: 10 s, 20 s, ... 60 s at most, WEBHOOK_MAX_RETRY=10 by default. */
export const webhookRetryPolicyDefault: WebhookRetryPolicy = {
  backoffStepMs: 10_000,
  backoffMaxMs: 60_000,
  attemptsMax: 10,
}

export type RetryDecision =
  { readonly kind: 'retry'; readonly nextAttemptAt: Date } | { readonly kind: 'give_up' }

/** What to do after attempt number `attempts` (1 for the first) failed at `nowMs`. */
export function nextWebhookAttempt(
  policy: WebhookRetryPolicy,
  attempts: number,
  nowMs: number,
): RetryDecision {
  assert(Number.isSafeInteger(attempts) && attempts >= 1, 'webhook retry: attempts >= 1')
  assert(policy.backoffStepMs >= 0 && policy.backoffMaxMs >= 0, 'webhook retry: delays >= 0')
  assert(Number.isSafeInteger(policy.attemptsMax) && policy.attemptsMax >= 1, 'attemptsMax >= 1')
  if (attempts >= policy.attemptsMax) return { kind: 'give_up' }
  const delayMs = Math.min(policy.backoffStepMs * attempts, policy.backoffMaxMs)
  return { kind: 'retry', nextAttemptAt: new Date(nowMs + delayMs) }
}

export const webhookSignatureHeader = 'Rafiki-Signature'

/** The string that is HMAC'd: "<t>." + canonical JSON (RFC 8785) of {id, type, data}. */
export function webhookSignaturePayload(timestampMs: number, body: WebhookBody): string {
  assert(Number.isSafeInteger(timestampMs), 'webhook signature: timestamp must be an integer')
  return `${timestampMs}.${canonicalJson(webhookBodyOf(body))}`
}

/** `t=<unix ms>, v<version>=<hex digest>`, the Rafiki-Signature header value. */
export function formatWebhookSignature(
  timestampMs: number,
  version: number,
  hexDigest: string,
): string {
  assert(Number.isSafeInteger(version) && version >= 1, 'webhook signature: version >= 1')
  assert(/^[0-9a-f]{64}$/.test(hexDigest), 'webhook signature: a hex SHA-256 digest')
  return `t=${timestampMs}, v${version}=${hexDigest}`
}
