import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../../application/ports/logger.ts'
import { webhookWorkTopic } from '../../application/ports/webhook-event-repository.ts'
import { randomIds } from '../system/random-ids.ts'
import {
  describeWithPostgres,
  openTestPglite,
  openTestPostgres,
  type TestPostgres,
} from '../../test/support/databases.ts'
import type { Database } from './database.ts'
import { makePostgresWorkSignal, workChannel } from './postgres-work-signal.ts'
import { makePostgresWebhookEventRepository } from './webhook-event-repository.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const newEvent = () => ({
  id: randomIds.uuid(),
  type: 'wallet_address.not_found' as const,
  data: { walletAddressUrl: 'https://wallet.example/x' },
  createdAt: new Date(),
})

/** Counts wake-ups of `topic` and waits for the next ones. */
function counter(subscribe: (listener: () => void) => () => void) {
  let count = 0
  const unsubscribe = subscribe(() => (count += 1))
  return {
    unsubscribe,
    count: () => count,
    async reaches(n: number, timeoutMs = 2000) {
      const startedMs = performance.now()
      while (count < n) {
        if (performance.now() - startedMs > timeoutMs) throw new Error(`${count} wake-ups < ${n}`)
        await delay(2)
      }
    },
  }
}

describe('workChannel', () => {
  it('prefixes the topic and refuses names Postgres would mangle', () => {
    expect(workChannel('webhook')).toBe('ilp_node_work_webhook')
    expect(() => workChannel('Webhook')).toThrow()
    expect(() => workChannel('a'.repeat(49))).toThrow()
    expect(() => workChannel('x"; drop')).toThrow()
  })
})

describe('Postgres work signal on PGlite (in-process only)', () => {
  let database: Database
  beforeAll(async () => {
    database = await openTestPglite()
  })
  afterAll(() => database.close())

  it('wakes local subscribers; add() with its pg_notify still works', async () => {
    const signal = makePostgresWorkSignal({ database, logger: silent })
    const wakes = counter((listener) => signal.subscribe(webhookWorkTopic, listener))
    await signal.ready()
    await makePostgresWebhookEventRepository(database.sql).add(newEvent())
    await delay(20)
    expect(wakes.count()).toBe(0)
    signal.notify(webhookWorkTopic)
    signal.notify('other')
    expect(wakes.count()).toBe(1)
    wakes.unsubscribe()
    signal.notify(webhookWorkTopic)
    expect(wakes.count()).toBe(1)
    await signal.close()
  })
})

describeWithPostgres('Postgres work signal', () => {
  let database: TestPostgres
  // Another replica: its own client on the same database.
  let other: postgres.Sql
  beforeAll(async () => {
    const opened = await openTestPostgres()
    if (opened === undefined) throw new Error('TEST_DATABASE_URL vanished')
    database = opened
    other = postgres(database.url, { max: 2, onnotice: () => {} })
  })
  afterAll(async () => {
    await other.end({ timeout: 5 })
    await database.close()
  })

  it("wakes on another replica's add() when its transaction commits, not before", async () => {
    const signal = makePostgresWorkSignal({ database, logger: silent })
    const wakes = counter((listener) => signal.subscribe(webhookWorkTopic, listener))
    await signal.ready()
    // LISTEN starting wakes the workers once: what came before it was not heard.
    await wakes.reaches(1)
    await makePostgresWebhookEventRepository(other).add(newEvent())
    await wakes.reaches(2)
    let committed = false
    await other.begin(async (tx) => {
      await makePostgresWebhookEventRepository(tx).add(newEvent())
      await delay(100)
      expect(wakes.count()).toBe(2)
      committed = true
    })
    expect(committed).toBe(true)
    await wakes.reaches(3)
    await signal.close()
  })

  it('sends nothing for a rolled-back add()', async () => {
    const signal = makePostgresWorkSignal({ database, logger: silent })
    const wakes = counter((listener) => signal.subscribe(webhookWorkTopic, listener))
    await signal.ready()
    await wakes.reaches(1)
    const rolledBack = other.begin(async (tx) => {
      await makePostgresWebhookEventRepository(tx).add(newEvent())
      throw new Error('roll back')
    })
    await expect(rolledBack).rejects.toThrow('roll back')
    await delay(200)
    expect(wakes.count()).toBe(1)
    await signal.close()
  })

  it('stops listening on close(); local wake-ups go on', async () => {
    const signal = makePostgresWorkSignal({ database, logger: silent })
    const wakes = counter((listener) => signal.subscribe('closing', listener))
    await signal.ready()
    await wakes.reaches(1)
    await signal.close()
    await other`select pg_notify(${workChannel('closing')}, '')`
    await delay(200)
    expect(wakes.count()).toBe(1)
    signal.notify('closing')
    expect(wakes.count()).toBe(2)
  })
})
