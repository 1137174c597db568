import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PageRequest } from '../../domain/pagination/page.ts'
import type {
  JsonObject,
  WebhookEvent,
  WebhookEventType,
} from '../../domain/webhooks/webhook-event.ts'
import type {
  WebhookEventFilter,
  WebhookEventRepository,
} from '../../application/ports/webhook-event-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type WebhookEventRepositoryFixture = {
  readonly events: WebhookEventRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)
const at = (ms: number) => new Date(base + ms)
const leaseMs = 30_000

/** Every WebhookEventRepository adapter must behave the same; this suite is the definition. */
export function runWebhookEventRepositoryContract(
  name: string,
  make: () => Promise<WebhookEventRepositoryFixture>,
): void {
  describe(`WebhookEventRepository contract: ${name}`, () => {
    let fixture: WebhookEventRepositoryFixture
    let events: WebhookEventRepository
    // Claims take the oldest due event of the whole table, so each test gets an empty one.
    beforeEach(async () => {
      fixture = await make()
      events = fixture.events
    })
    afterEach(async () => {
      await fixture?.close()
    })

    const add = async (
      createdAtMs: number,
      type: WebhookEventType = 'incoming_payment.created',
      data: JsonObject = { n: createdAtMs },
    ) => {
      const event = { id: randomIds.uuid(), type, data, createdAt: at(createdAtMs) }
      await events.add(event)
      return event
    }

    it('adds an event and reads it back, due at once, JSON data intact', async () => {
      const data = {
        id: randomIds.uuid(),
        amount: { value: '18446744073709551615', assetCode: 'USD', assetScale: 2 },
        nested: [1, 2.5, null, true, 'é ✓ "q"', { deep: [] }],
        empty: {},
      }
      const added = await add(1000, 'outgoing_payment.completed', data)
      expect(await events.getById(added.id)).toEqual({
        ...added,
        withdrawal: null,
        attempts: 0,
        nextAttemptAt: added.createdAt,
        deliveredAt: null,
        failedAt: null,
        lastError: null,
      })
      expect(await events.getById(randomIds.uuid())).toBeUndefined()
    })

    it('keeps what an event asks to withdraw, and finds the latest by account and type', async () => {
      const accountId = randomIds.uuid()
      const assetId = randomIds.uuid()
      const withdrawal = (amount: bigint) => ({ accountId, assetId, amount })
      const withdrawing = async (
        createdAtMs: number,
        type: WebhookEventType,
        amount: bigint,
        account = accountId,
      ) => {
        const event = {
          id: randomIds.uuid(),
          type,
          data: {},
          createdAt: at(createdAtMs),
          withdrawal: { ...withdrawal(amount), accountId: account },
        }
        await events.add(event)
        return event
      }
      const completed = await withdrawing(1000, 'incoming_payment.completed', 5n)
      // Beyond 64 bits: a total of many receipts is kept exactly.
      const expired = await withdrawing(2000, 'incoming_payment.expired', 10n ** 30n)
      await withdrawing(3000, 'incoming_payment.completed', 7n, randomIds.uuid())
      await add(4000, 'incoming_payment.completed')
      expect(await events.getById(completed.id)).toMatchObject({ withdrawal: withdrawal(5n) })
      const settled = ['incoming_payment.completed', 'incoming_payment.expired'] as const
      expect(await events.latestWithdrawal(accountId, settled)).toMatchObject({
        id: expired.id,
        withdrawal: withdrawal(10n ** 30n),
      })
      expect((await events.latestWithdrawal(accountId, ['incoming_payment.completed']))?.id).toBe(
        completed.id,
      )
      expect(await events.latestWithdrawal(accountId, [])).toBeUndefined()
      expect(await events.latestWithdrawal(accountId, ['asset.liquidity_low'])).toBeUndefined()
      expect(await events.latestWithdrawal(randomIds.uuid(), settled)).toBeUndefined()
    })

    it('pages in both sort orders and directions without gaps or repeats', async () => {
      const added = []
      for (let i = 0; i < 7; i += 1) added.push(await add(i * 1000))
      const ids = added.map((event) => event.id)
      expect(await collect(events, 'ASC')).toEqual(ids)
      expect(await collect(events, 'DESC')).toEqual([...ids].reverse())
      const before = await events.list(request({ cursor: ids[4], direction: 'backward' }))
      expect(before.ok && before.value.items.map((event) => event.id)).toEqual(ids.slice(1, 4))
      expect(before.ok && before.value.hasPreviousPage).toBe(true)
      expect(before.ok && before.value.hasNextPage).toBe(true)
    })

    it('filters by type, for the page and for its cursor', async () => {
      const created = await add(1000, 'incoming_payment.created')
      const failed = await add(2000, 'outgoing_payment.failed')
      const low = await add(3000, 'asset.liquidity_low')
      const some = { types: ['incoming_payment.created', 'asset.liquidity_low'] } as const
      expect(await collect(events, 'ASC', some)).toEqual([created.id, low.id])
      expect(await collect(events, 'ASC', { types: [] })).toEqual([])
      expect(await collect(events, 'ASC', {})).toEqual([created.id, failed.id, low.id])
      expect(await events.list(request({ cursor: failed.id }), some)).toEqual({
        ok: false,
        error: 'unknown_cursor',
      })
      const after = await events.list(request({ cursor: created.id }), some)
      expect(after.ok && after.value.items.map((event) => event.id)).toEqual([low.id])
    })

    it('refuses an unknown cursor', async () => {
      await add(1000)
      expect(await events.list(request({ cursor: randomIds.uuid() }))).toEqual({
        ok: false,
        error: 'unknown_cursor',
      })
    })

    it('claims the oldest due event first, counts the attempt and leases it', async () => {
      const second = await add(2000)
      const first = await add(1000)
      await add(9000)
      expect(await events.claimNext(at(999), leaseMs)).toBeUndefined()
      const claimed = await events.claimNext(at(5000), leaseMs)
      expect(claimed).toEqual({ ...(await events.getById(first.id)), attempts: 1 })
      expect((await events.claimNext(at(5000), leaseMs))?.id).toBe(second.id)
      expect(await events.claimNext(at(5000), leaseMs)).toBeUndefined()
    })

    it('never hands one event to two concurrent claimers', async () => {
      const added = await Promise.all(Array.from({ length: 8 }, (_, i) => add(i)))
      const claims = await Promise.all(
        Array.from({ length: 24 }, () => events.claimNext(at(10_000), leaseMs)),
      )
      const ids = claims.flatMap((claim) => (claim ? [claim.id] : []))
      expect(ids.sort()).toEqual(added.map((event) => event.id).sort())
      expect(claims.every((claim) => claim === undefined || claim.attempts === 1)).toBe(true)
    })

    it('lets another worker claim an event once its lease has expired', async () => {
      const added = await add(0)
      expect((await events.claimNext(at(1000), leaseMs))?.id).toBe(added.id)
      expect(await events.claimNext(at(1000 + leaseMs - 1), leaseMs)).toBeUndefined()
      const again = await events.claimNext(at(1000 + leaseMs), leaseMs)
      expect(again).toMatchObject({ id: added.id, attempts: 2 })
    })

    it('schedules a retry: not claimable before nextAttemptAt, lease ended', async () => {
      const added = await add(0)
      await events.claimNext(at(1000), leaseMs)
      await events.scheduleRetry(added.id, at(11_000), 'reply status 500, expected 200')
      expect(await events.claimNext(at(10_999), leaseMs)).toBeUndefined()
      // 11 s is still inside the first lease: scheduling the retry ended it.
      expect(await events.claimNext(at(11_000), leaseMs)).toMatchObject({
        id: added.id,
        attempts: 2,
        nextAttemptAt: at(11_000),
        lastError: 'reply status 500, expected 200',
      })
    })

    it('never claims a delivered event again, and ignores later outcomes for it', async () => {
      const added = await add(0)
      await events.claimNext(at(1000), leaseMs)
      await events.scheduleRetry(added.id, at(2000), 'timeout')
      await events.claimNext(at(2000), leaseMs)
      await events.markDelivered(added.id, at(2500))
      // A worker whose lease had expired reports late: the delivery stands.
      await events.scheduleRetry(added.id, at(3000), 'late')
      await events.markFailed(added.id, at(3000), 'late')
      expect(await events.claimNext(at(10 ** 9), leaseMs)).toBeUndefined()
      expect(await events.getById(added.id)).toMatchObject({
        attempts: 2,
        deliveredAt: at(2500),
        failedAt: null,
        lastError: null,
      })
    })

    it('never claims a failed event again', async () => {
      const added = await add(0)
      await events.claimNext(at(1000), leaseMs)
      await events.markFailed(added.id, at(1500), 'network error: refused')
      await events.markDelivered(added.id, at(1600))
      expect(await events.claimNext(at(10 ** 9), leaseMs)).toBeUndefined()
      expect(await events.getById(added.id)).toMatchObject({
        attempts: 1,
        deliveredAt: null,
        failedAt: at(1500),
        lastError: 'network error: refused',
      })
    })
  })
}

function request(overrides: Partial<PageRequest> = {}): PageRequest {
  return { limit: 3, cursor: undefined, direction: 'forward', sortOrder: 'ASC', ...overrides }
}

async function collect(
  events: WebhookEventRepository,
  sortOrder: 'ASC' | 'DESC',
  filter: WebhookEventFilter = {},
): Promise<string[]> {
  const out: string[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await events.list(request({ cursor, sortOrder }), filter)
    if (!page.ok) throw new Error(page.error)
    out.push(...page.value.items.map((event: WebhookEvent) => event.id))
    const last = page.value.items.at(-1)
    if (!page.value.hasNextPage || !last) return out
    cursor = last.id
  }
}
