// The outbox end to end on a real database: events written while the receiver is down, or by a
// process that died before delivering, all reach the receiver once each, signed.
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Logger } from '../../application/ports/logger.ts'
import { webhookWorkTopic } from '../../application/ports/webhook-event-repository.ts'
import { makeDeliverNextWebhook } from '../../application/webhooks/deliver-next-webhook.ts'
import {
  makeEmitWebhookEvent,
  makeStageWebhookEvent,
} from '../../application/webhooks/emit-webhook-event.ts'
import { makeWorkerLoop, type WorkerLoop } from '../../application/workers/worker-loop.ts'
import type { WebhookEvent, WebhookRetryPolicy } from '../../domain/webhooks/webhook-event.ts'
import { describeWithDatabases } from '../../test/support/databases.ts'
import type { Database } from '../postgres/database.ts'
import { makePostgresWorkSignal } from '../postgres/postgres-work-signal.ts'
import { makePostgresWebhookEventRepository } from '../postgres/webhook-event-repository.ts'
import { randomIds } from '../system/random-ids.ts'
import { systemClock } from '../system/system-clock.ts'
import { makeHttpWebhookSender } from './http-webhook-sender.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const signing = { secret: 'outbox secret', version: 1 }
// Short waits keep the test fast; the rule is the production one, scaled down.
const fastRetries: WebhookRetryPolicy = { backoffStepMs: 20, backoffMaxMs: 60, attemptsMax: 1000 }
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const startedMs = performance.now()
  while (!(await condition())) {
    if (performance.now() - startedMs > timeoutMs) throw new Error('condition not met in time')
    await delay(10)
  }
}

type Delivery = { readonly id: string; readonly body: string; readonly signature: string }

/** A webhook receiver on 127.0.0.1 that can go down and come back on the same port. */
function receiver() {
  const deliveries: Delivery[] = []
  let server: Server | undefined
  let port = 0
  const start = async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        const { id } = JSON.parse(body) as { id: string }
        const signature = String(request.headers['rafiki-signature'])
        deliveries.push({ id, body, signature })
        response.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  }
  const stop = async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
    server = undefined
  }
  return { deliveries, start, stop, url: () => `http://127.0.0.1:${port}/webhooks` }
}

function verify(delivery: Delivery): boolean {
  const match = /^t=(\d+), v1=([0-9a-f]{64})$/.exec(delivery.signature)
  if (!match) return false
  const hmac = createHmac('sha256', signing.secret).update(`${match[1]}.${delivery.body}`)
  return hmac.digest('hex') === match[2]
}

describeWithDatabases('webhook outbox', (target) => {
  let database: Database
  let hook: ReturnType<typeof receiver>
  const loops: WorkerLoop[] = []
  beforeEach(async () => {
    database = await target.open()
    hook = receiver()
    await hook.start()
  })
  afterEach(async () => {
    await Promise.all(loops.splice(0).map((loop) => loop.stop()))
    await hook?.stop()
    await database?.close()
  })

  /** A node's webhook worker: its own repository, sender, signal and loop. */
  function startWorker() {
    const events = makePostgresWebhookEventRepository(database.sql)
    const signal = makePostgresWorkSignal({ database, logger: silent })
    const sender = makeHttpWebhookSender({
      url: hook.url(),
      timeoutMs: 1000,
      signing,
      clock: systemClock,
    })
    const deliverNext = makeDeliverNextWebhook({
      events,
      sender,
      clock: systemClock,
      logger: silent,
      retryPolicy: fastRetries,
      leaseMs: 5000,
    })
    const loop = makeWorkerLoop(
      { processNext: deliverNext, signal, logger: silent },
      { name: 'webhook', topic: webhookWorkTopic, concurrency: 3, idleMs: 50 },
    )
    loops.push(loop)
    loop.start()
    const emit = makeEmitWebhookEvent({ events, signal, clock: systemClock, ids: randomIds })
    return { events, emit, loop }
  }

  const expectDeliveredOnce = (ids: readonly string[]) => {
    const counts = new Map<string, number>()
    for (const delivery of hook.deliveries)
      counts.set(delivery.id, (counts.get(delivery.id) ?? 0) + 1)
    expect([...counts.keys()].sort()).toEqual([...ids].sort())
    expect([...counts.values()].every((count) => count === 1)).toBe(true)
    expect(hook.deliveries.every(verify)).toBe(true)
  }

  it('delivers what was emitted while the receiver was down, once each, after it is back', async () => {
    await hook.stop()
    const { events, emit } = startWorker()
    const emitted: WebhookEvent[] = []
    for (let i = 0; i < 12; i += 1) {
      emitted.push(await emit({ type: 'incoming_payment.completed', data: { n: i } }))
    }
    const attempted = async () => {
      const all = await Promise.all(emitted.map((event) => events.getById(event.id)))
      return all.every((event) => (event?.attempts ?? 0) >= 2)
    }
    await until(attempted)
    await hook.start()
    await until(async () => {
      const all = await Promise.all(emitted.map((event) => events.getById(event.id)))
      return all.every((event) => event?.deliveredAt != null)
    })
    await delay(200)
    expectDeliveredOnce(emitted.map((event) => event.id))
    for (const delivery of hook.deliveries) {
      const event = emitted.find((candidate) => candidate.id === delivery.id)
      expect(JSON.parse(delivery.body)).toEqual({
        id: event?.id,
        type: event?.type,
        data: event?.data,
      })
    }
  })

  it('delivers events committed by a process that died before delivering; none rolled back', async () => {
    // The dead process: it committed state changes with their events, then never woke anyone.
    const stage = makeStageWebhookEvent({ clock: systemClock, ids: randomIds })
    const committed = await database.sql.begin(async (tx) => {
      const events = makePostgresWebhookEventRepository(tx)
      const staged = []
      for (let i = 0; i < 3; i += 1) {
        staged.push(await stage(events, { type: 'outgoing_payment.completed', data: { i } }))
      }
      return staged
    })
    const rolledBack = database.sql.begin(async (tx) => {
      await stage(makePostgresWebhookEventRepository(tx), {
        type: 'outgoing_payment.failed',
        data: { lost: true },
      })
      throw new Error('state change refused')
    })
    await expect(rolledBack).rejects.toThrow('state change refused')
    // A new process starts later: its worker looks for work at once.
    const startedMs = performance.now()
    startWorker()
    await until(() => hook.deliveries.length === 3)
    expect(performance.now() - startedMs).toBeLessThan(2000)
    await delay(150)
    expectDeliveredOnce(committed.map((event) => event.id))
  })

  it('lets a new worker deliver an event whose worker died mid-delivery, once its lease ends', async () => {
    const events = makePostgresWebhookEventRepository(database.sql)
    const stage = makeStageWebhookEvent({ clock: systemClock, ids: randomIds })
    const event = await stage(events, { type: 'peer.liquidity_low', data: { id: 'peer' } })
    // What a worker killed during its POST leaves behind: a committed claim and nothing more.
    const leaseMs = 300
    const claimedMs = systemClock.now()
    expect((await events.claimNext(new Date(claimedMs), leaseMs))?.id).toBe(event.id)
    startWorker()
    await until(() => hook.deliveries.length === 1)
    expect(systemClock.now() - claimedMs).toBeGreaterThanOrEqual(leaseMs)
    // The new worker records the delivery once the receiver has answered it.
    await until(async () => (await events.getById(event.id))?.deliveredAt != null)
    // Had it lived, its late report would change nothing: the delivery stands.
    await events.scheduleRetry(event.id, new Date(), 'network error: died')
    expect(await events.getById(event.id)).toMatchObject({
      attempts: 2,
      lastError: null,
      failedAt: null,
    })
    expect((await events.getById(event.id))?.deliveredAt).not.toBeNull()
    await delay(100)
    expectDeliveredOnce([event.id])
  })
})
