import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  formatWebhookSignature,
  isWebhookEventType,
  nextWebhookAttempt,
  webhookEventTypes,
  webhookRetryPolicyDefault,
  webhookSignaturePayload,
} from './webhook-event.ts'

const nowMs = Date.UTC(2025, 0, 1)

describe('webhook event types', () => {
  it('are the ten of COMPAT.md, and nothing else passes the guard', () => {
    expect(webhookEventTypes).toHaveLength(10)
    expect(webhookEventTypes.every(isWebhookEventType)).toBe(true)
    expect(isWebhookEventType('incoming_payment.creat')).toBe(false)
    expect(isWebhookEventType('toString')).toBe(false)
  })
})

describe('nextWebhookAttempt', () => {
  it('backs off 10 s per attempt, 60 s at most', () => {
    const delays = [1, 2, 3, 5, 6, 7, 9].map((attempts) => {
      const decision = nextWebhookAttempt(webhookRetryPolicyDefault, attempts, nowMs)
      return decision.kind === 'retry' ? decision.nextAttemptAt.getTime() - nowMs : decision.kind
    })
    expect(delays).toEqual([10_000, 20_000, 30_000, 50_000, 60_000, 60_000, 60_000])
  })

  it('gives up after WEBHOOK_MAX_RETRY attempts', () => {
    expect(nextWebhookAttempt(webhookRetryPolicyDefault, 10, nowMs)).toEqual({ kind: 'give_up' })
    expect(nextWebhookAttempt(webhookRetryPolicyDefault, 11, nowMs)).toEqual({ kind: 'give_up' })
    const once = { ...webhookRetryPolicyDefault, attemptsMax: 1 }
    expect(nextWebhookAttempt(once, 1, nowMs)).toEqual({ kind: 'give_up' })
  })

  it('refuses an attempt count below 1 as a bug', () => {
    expect(() => nextWebhookAttempt(webhookRetryPolicyDefault, 0, nowMs)).toThrow(/attempts >= 1/)
  })
})

describe('webhook signature', () => {
  const body = {
    type: 'wallet_address.not_found',
    id: '2f1c1b1e-8a4b-4c39-9d1e-0b6f3c1d2e3f',
    data: { walletAddressUrl: 'https://wallet.example/alice', b: [2, 1], a: null },
  } as const
  // Written out by hand: keys sorted at every level, no whitespace (RFC 8785).
  const canonical =
    '{"data":{"a":null,"b":[2,1],"walletAddressUrl":"https://wallet.example/alice"},' +
    '"id":"2f1c1b1e-8a4b-4c39-9d1e-0b6f3c1d2e3f","type":"wallet_address.not_found"}'

  it('signs "<t>." + the canonical JSON of {id, type, data} and nothing more', () => {
    const t = 1735689600123
    expect(webhookSignaturePayload(t, { ...body, extra: 1 } as typeof body)).toBe(
      `${t}.${canonical}`,
    )
  })

  it('formats the header as Rafiki does, matching an independently computed HMAC', () => {
    const t = 1735689600123
    const digest = createHmac('sha256', 'top secret').update(`${t}.${canonical}`).digest('hex')
    const header = formatWebhookSignature(t, 1, digest)
    expect(header).toBe(`t=1735689600123, v1=${digest}`)
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
  })
})
