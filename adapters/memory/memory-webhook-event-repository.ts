import { assert } from '../../domain/shared/assert.ts'
import { ok } from '../../domain/shared/result.ts'
import type { WebhookEvent } from '../../domain/webhooks/webhook-event.ts'
import type { WebhookEventRepository } from '../../application/ports/webhook-event-repository.ts'
import { pageOf } from './memory-page.ts'

type Row = WebhookEvent & { readonly leaseUntil: Date | null }

const toEvent = ({ leaseUntil: _leaseUntil, ...event }: Row): WebhookEvent => event

const pending = (row: Row): boolean => row.deliveredAt === null && row.failedAt === null

const claimable = (row: Row, nowMs: number): boolean =>
  pending(row) &&
  row.nextAttemptAt.getTime() <= nowMs &&
  (row.leaseUntil === null || row.leaseUntil.getTime() <= nowMs)

// Oldest due first, as the SQL index orders them.
const dueOrder = (a: Row, b: Row): number =>
  a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** In-process WebhookEventRepository for unit tests; same rules as the SQL one. */
export function makeMemoryWebhookEventRepository(): WebhookEventRepository {
  const rows = new Map<string, Row>()
  // Every method finishes without awaiting, so concurrent calls cannot interleave.
  const update = (id: string, change: Partial<Row>): void => {
    const row = rows.get(id)
    if (row !== undefined && pending(row)) rows.set(id, { ...row, ...change, leaseUntil: null })
  }
  return {
    async add(event) {
      assert(!rows.has(event.id), `webhook event ${event.id} added twice`)
      rows.set(event.id, {
        ...event,
        data: structuredClone(event.data),
        withdrawal: event.withdrawal ?? null,
        attempts: 0,
        nextAttemptAt: event.createdAt,
        deliveredAt: null,
        failedAt: null,
        lastError: null,
        leaseUntil: null,
      })
    },
    async getById(id) {
      const row = rows.get(id)
      return row && toEvent(row)
    },
    async latestWithdrawal(accountId, types) {
      const wanted = new Set<string>(types)
      const [latest] = [...rows.values()]
        .filter((row) => row.withdrawal?.accountId === accountId && wanted.has(row.type))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      return latest && toEvent(latest)
    },
    async list(request, filter = {}) {
      const types = filter.types && new Set<string>(filter.types)
      const kept = [...rows.values()].filter((row) => types === undefined || types.has(row.type))
      const page = pageOf(kept, request)
      return page.ok ? ok({ ...page.value, items: page.value.items.map(toEvent) }) : page
    },
    async claimNext(now, leaseMs) {
      assert(Number.isSafeInteger(leaseMs) && leaseMs > 0, 'claimNext: leaseMs > 0')
      const nowMs = now.getTime()
      const [next] = [...rows.values()].filter((row) => claimable(row, nowMs)).sort(dueOrder)
      if (next === undefined) return undefined
      const claimed = {
        ...next,
        attempts: next.attempts + 1,
        leaseUntil: new Date(nowMs + leaseMs),
      }
      rows.set(claimed.id, claimed)
      return toEvent(claimed)
    },
    async markDelivered(id, at) {
      update(id, { deliveredAt: at, lastError: null })
    },
    async scheduleRetry(id, nextAttemptAt, error) {
      update(id, { nextAttemptAt, lastError: error })
    },
    async markFailed(id, at, error) {
      update(id, { failedAt: at, lastError: error })
    },
  }
}
