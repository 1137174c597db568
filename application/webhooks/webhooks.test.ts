import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryWebhookEventRepository } from '../../adapters/memory/memory-webhook-event-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { webhookRetryPolicyDefault, type WebhookBody } from '../../domain/webhooks/webhook-event.ts'
import type { Logger } from '../ports/logger.ts'
import { webhookWorkTopic } from '../ports/webhook-event-repository.ts'
import type { WebhookSendError, WebhookSender } from '../ports/webhook-sender.ts'
import { makeDeliverNextWebhook } from './deliver-next-webhook.ts'
import { makeEmitWebhookEvent, makeStageWebhookEvent } from './emit-webhook-event.ts'
import { makeListWebhookEvents } from './list-webhook-events.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** Answers with the scripted outcomes in turn, then with success; records what it was sent. */
function scriptedSender(...outcomes: WebhookSendError[]): WebhookSender & { sent: WebhookBody[] } {
  const sent: WebhookBody[] = []
  return {
    sent,
    async send(body): Promise<Result<void, WebhookSendError>> {
      sent.push(body)
      const outcome = outcomes.shift()
      return outcome ? err(outcome) : ok(undefined)
    },
  }
}

function setup(sender: WebhookSender = scriptedSender()) {
  const clock = makeFakeClock()
  const events = makeMemoryWebhookEventRepository()
  const signal = makeMemoryWorkSignal()
  const deps = { clock, ids: randomIds, events, signal }
  return {
    ...deps,
    emit: makeEmitWebhookEvent(deps),
    deliverNext: makeDeliverNextWebhook({
      events,
      sender,
      clock,
      logger: silent,
      retryPolicy: { ...webhookRetryPolicyDefault, attemptsMax: 3 },
      leaseMs: 30_000,
    }),
    list: makeListWebhookEvents({ events }),
  }
}

const data = { walletAddressUrl: 'https://wallet.example/nobody' }

describe('emitting webhook events', () => {
  it('adds the event, due now, and wakes the webhook workers', async () => {
    const { emit, events, signal, clock } = setup()
    const wakes: string[] = []
    signal.subscribe(webhookWorkTopic, () => wakes.push('woken'))
    const event = await emit({ type: 'wallet_address.not_found', data })
    expect(event).toMatchObject({ type: 'wallet_address.not_found', data, attempts: 0 })
    expect(event.createdAt).toEqual(new Date(clock.now()))
    expect(await events.getById(event.id)).toEqual(event)
    expect(wakes).toEqual(['woken'])
  })

  it('stages into a given repository without waking anyone', async () => {
    const { events, signal, clock } = setup()
    const wakes: string[] = []
    signal.subscribe(webhookWorkTopic, () => wakes.push('woken'))
    const stage = makeStageWebhookEvent({ clock, ids: randomIds })
    const event = await stage(events, { type: 'asset.liquidity_low', data: { id: 'x' } })
    expect(await events.getById(event.id)).toEqual(event)
    expect(wakes).toEqual([])
  })

  it('refuses data that is not JSON as a bug, before anything is written', async () => {
    const { emit, list } = setup()
    const bad = { amount: 1n } as unknown as typeof data
    await expect(emit({ type: 'wallet_address.not_found', data: bad })).rejects.toThrow(/bigint/)
    const page = await list({})
    expect(page.ok && page.value.items).toEqual([])
  })
})

describe('delivering the next webhook event', () => {
  it('returns false when nothing is due', async () => {
    const { deliverNext } = setup()
    expect(await deliverNext()).toBe(false)
  })

  it('sends {id, type, data} and records the delivery', async () => {
    const sender = scriptedSender()
    const { emit, deliverNext, events, clock } = setup(sender)
    const event = await emit({ type: 'wallet_address.not_found', data })
    expect(await deliverNext()).toBe(true)
    expect(sender.sent).toEqual([{ id: event.id, type: event.type, data }])
    expect(await events.getById(event.id)).toMatchObject({
      attempts: 1,
      deliveredAt: new Date(clock.now()),
    })
    expect(await deliverNext()).toBe(false)
  })

  it('retries after 10 s x attempts, then gives up after attemptsMax', async () => {
    const sender = scriptedSender(
      { kind: 'status', status: 500 },
      { kind: 'timeout', timeoutMs: 2000 },
      { kind: 'network', message: 'fetch failed: ECONNREFUSED' },
    )
    const { emit, deliverNext, events, clock } = setup(sender)
    const event = await emit({ type: 'wallet_address.not_found', data })
    expect(await deliverNext()).toBe(true)
    expect(await events.getById(event.id)).toMatchObject({
      attempts: 1,
      nextAttemptAt: new Date(clock.now() + 10_000),
      lastError: 'reply status 500, expected 200',
    })
    clock.advance(9_999)
    expect(await deliverNext()).toBe(false)
    clock.advance(1)
    expect(await deliverNext()).toBe(true)
    expect(await events.getById(event.id)).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(clock.now() + 20_000),
      lastError: 'no reply within 2000 ms',
    })
    clock.advance(20_000)
    expect(await deliverNext()).toBe(true)
    expect(await events.getById(event.id)).toMatchObject({
      attempts: 3,
      failedAt: new Date(clock.now()),
      deliveredAt: null,
      lastError: 'network error: fetch failed: ECONNREFUSED',
    })
    clock.advance(10 ** 9)
    expect(await deliverNext()).toBe(false)
    expect(sender.sent).toHaveLength(3)
  })
})

describe('listing webhook events', () => {
  it('pages newest first by default and filters by type names', async () => {
    const { emit, list, clock } = setup()
    const a = await emit({ type: 'wallet_address.not_found', data })
    clock.advance(1)
    const b = await emit({ type: 'asset.liquidity_low', data: { id: 'asset' } })
    const all = await list({})
    expect(all.ok && all.value.items.map((event) => event.id)).toEqual([b.id, a.id])
    const some = await list({ types: ['asset.liquidity_low', 'no.such_type'] })
    expect(some.ok && some.value.items.map((event) => event.id)).toEqual([b.id])
    const none = await list({ types: ['no.such_type'] })
    expect(none.ok && none.value.items).toEqual([])
  })

  it('reports bad page arguments and unknown cursors', async () => {
    const { list } = setup()
    expect(await list({ first: 0 })).toEqual({ ok: false, error: 'invalid_page_size' })
    expect(await list({ after: 'nope' })).toEqual({ ok: false, error: 'invalid_cursor' })
    expect(await list({ after: randomIds.uuid() })).toEqual({ ok: false, error: 'invalid_cursor' })
  })
})
