import type { ISql, PendingQuery, Row } from 'postgres'
import { keysetPage } from './keyset-page.ts'
import { assert } from '../../domain/shared/assert.ts'
import {
  isWebhookEventType,
  type JsonObject,
  type WebhookEvent,
  type WebhookWithdrawal,
} from '../../domain/webhooks/webhook-event.ts'
import {
  webhookWorkTopic,
  type WebhookEventFilter,
  type WebhookEventRepository,
} from '../../application/ports/webhook-event-repository.ts'
import { workChannel } from './postgres-work-signal.ts'

type WebhookEventRow = {
  id: string
  type: string
  data: JsonObject
  withdrawal_account_id: string | null
  withdrawal_asset_id: string | null
  withdrawal_amount: string | null
  created_at: Date
  attempts: number
  next_attempt_at: Date
  lease_until: Date | null
  delivered_at: Date | null
  failed_at: Date | null
  last_error: string | null
}

function toWithdrawal(row: WebhookEventRow): WebhookWithdrawal | null {
  const { withdrawal_account_id: accountId, withdrawal_asset_id: assetId } = row
  // A CHECK constraint keeps the three columns all set or all null.
  if (accountId === null || assetId === null || row.withdrawal_amount === null) return null
  return { accountId, assetId, amount: BigInt(row.withdrawal_amount) }
}

function toWebhookEvent(row: WebhookEventRow): WebhookEvent {
  const { type } = row
  // Only add() writes this table, with a typed event: anything else is a bug or tampering.
  assert(isWebhookEventType(type), `webhook_events ${row.id}: unknown type ${type}`)
  return {
    id: row.id,
    type,
    data: row.data,
    withdrawal: toWithdrawal(row),
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
    lastError: row.last_error,
  }
}

const channel = workChannel(webhookWorkTopic)

/**
 * `sql` may be a transaction: add() then becomes part of the caller's unit of work, and its
 * pg_notify reaches the other replicas' workers only when that transaction commits.
 */
export function makePostgresWebhookEventRepository(sql: ISql): WebhookEventRepository {
  const pending = () => sql`delivered_at is null and failed_at is null`
  return {
    async add(event) {
      const withdrawal = event.withdrawal ?? null
      // One statement: the row and the wake-up commit (or roll back) together.
      await sql`
        with added as (
          insert into webhook_events (id, type, data, withdrawal_account_id, withdrawal_asset_id,
            withdrawal_amount, created_at, attempts, next_attempt_at)
          values (${event.id}, ${event.type}, ${sql.json(event.data)},
                  ${withdrawal?.accountId ?? null}, ${withdrawal?.assetId ?? null},
                  ${withdrawal?.amount.toString() ?? null}, ${event.createdAt}, 0,
                  ${event.createdAt})
          returning id
        )
        select pg_notify(${channel}, id::text) from added`
    },
    async getById(id) {
      const [row] = await sql<WebhookEventRow[]>`select * from webhook_events where id = ${id}`
      return row && toWebhookEvent(row)
    },
    async latestWithdrawal(accountId, types) {
      if (types.length === 0) return undefined
      const [row] = await sql<WebhookEventRow[]>`
        select * from webhook_events
        where withdrawal_account_id = ${accountId} and type in ${sql([...types])}
        order by created_at desc, id desc
        limit 1`
      return row && toWebhookEvent(row)
    },
    list: (request, filter = {}) =>
      keysetPage<WebhookEventRow, WebhookEvent>(sql, {
        table: 'webhook_events',
        where: typeFilter(sql, filter),
        request,
        map: toWebhookEvent,
      }),
    async claimNext(now, leaseMs) {
      assert(Number.isSafeInteger(leaseMs) && leaseMs > 0, 'claimNext: leaseMs > 0')
      // SKIP LOCKED: concurrent claimers pass over a row being claimed instead of waiting for
      // it, and the lease keeps the row theirs after the claiming transaction commits.
      const [row] = await sql<WebhookEventRow[]>`
        update webhook_events
        set attempts = attempts + 1, lease_until = ${new Date(now.getTime() + leaseMs)}
        where id = (
          select id from webhook_events
          where ${pending()} and next_attempt_at <= ${now}
            and (lease_until is null or lease_until <= ${now})
          order by next_attempt_at, id
          limit 1
          for update skip locked
        )
        returning *`
      return row && toWebhookEvent(row)
    },
    async markDelivered(id, at) {
      await sql`
        update webhook_events set delivered_at = ${at}, lease_until = null, last_error = null
        where id = ${id} and ${pending()}`
    },
    async scheduleRetry(id, nextAttemptAt, error) {
      await sql`
        update webhook_events
        set next_attempt_at = ${nextAttemptAt}, lease_until = null, last_error = ${error}
        where id = ${id} and ${pending()}`
    },
    async markFailed(id, at, error) {
      await sql`
        update webhook_events set failed_at = ${at}, lease_until = null, last_error = ${error}
        where id = ${id} and ${pending()}`
    },
  }
}

function typeFilter(sql: ISql, filter: WebhookEventFilter): PendingQuery<Row[]> {
  if (filter.types === undefined) return sql`true`
  // `in ()` is a syntax error, and an empty list keeps nothing anyway.
  return filter.types.length === 0 ? sql`false` : sql`type in ${sql([...filter.types])}`
}
