import { outgoingPaymentWorkTopic } from '../../application/outgoing-payments/work-topic.ts'
import { workChannel } from './postgres-work-signal.ts'
import type { ISql, PendingQuery, Row } from 'postgres'
import {
  isOutgoingPaymentState,
  type OutgoingPayment,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import type {
  OutgoingPaymentFilter,
  OutgoingPaymentRepository,
  UnknownOrWrongState,
} from '../../application/ports/outgoing-payment-repository.ts'
import { keysetPage } from './keyset-page.ts'

type OutgoingPaymentRow = {
  id: string
  wallet_address_id: string
  state: string
  receiver: string
  debit_asset_code: string
  debit_asset_scale: number
  debit_value: string
  receive_asset_code: string
  receive_asset_scale: number
  receive_value: string
  sent_value: string
  error: string | null
  state_attempts: number
  grant_id: string | null
  client: string | null
  metadata: unknown
  created_at: Date
  updated_at: Date
}

type SpentRow = {
  debit_asset_code: string
  debit_asset_scale: number
  receive_asset_code: string
  receive_asset_scale: number
  debit: string
  receive: string
}

const isJsonObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function toOutgoingPayment(row: OutgoingPaymentRow): OutgoingPayment {
  const { state, metadata } = row
  assert(isOutgoingPaymentState(state), `outgoing_payments ${row.id}: unknown state ${state}`)
  assert(metadata === null || isJsonObject(metadata), `outgoing_payments ${row.id}: metadata`)
  const debit = { assetCode: row.debit_asset_code, assetScale: row.debit_asset_scale }
  return {
    id: row.id,
    walletAddressId: row.wallet_address_id,
    quoteId: row.id,
    receiver: row.receiver,
    debitAmount: { value: BigInt(row.debit_value), ...debit },
    receiveAmount: {
      value: BigInt(row.receive_value),
      assetCode: row.receive_asset_code,
      assetScale: row.receive_asset_scale,
    },
    sentAmount: { value: BigInt(row.sent_value), ...debit },
    state,
    error: row.error,
    stateAttempts: row.state_attempts,
    grantId: row.grant_id,
    client: row.client,
    metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** `sql` may be a transaction (see outgoing-payment-unit-of-work.ts). */
export function makePostgresOutgoingPaymentRepository(sql: ISql): OutgoingPaymentRepository {
  // After a conditional write that matched nothing: was it unknown, or in another state?
  const whyNot = async (id: string): Promise<UnknownOrWrongState> => {
    const [row] = await sql`select 1 from outgoing_payments where id = ${id}`
    return row ? 'wrong_state' : 'unknown_outgoing_payment'
  }
  const one = async (
    id: string,
    rows: readonly OutgoingPaymentRow[],
  ): Promise<Result<OutgoingPayment, UnknownOrWrongState>> => {
    const [row] = rows
    return row ? ok(toOutgoingPayment(row)) : err(await whyNot(id))
  }
  return {
    async create(p) {
      const rows = await sql<OutgoingPaymentRow[]>`
        insert into outgoing_payments (
          id, wallet_address_id, state, receiver,
          debit_asset_code, debit_asset_scale, debit_value,
          receive_asset_code, receive_asset_scale, receive_value,
          grant_id, client, metadata, created_at, updated_at
        ) values (
          ${p.id}, ${p.walletAddressId}, 'FUNDING', ${p.receiver},
          ${p.debitAmount.assetCode}, ${p.debitAmount.assetScale}, ${p.debitAmount.value.toString()},
          ${p.receiveAmount.assetCode}, ${p.receiveAmount.assetScale},
          ${p.receiveAmount.value.toString()},
          ${p.grantId}, ${p.client}, ${p.metadata === null ? null : sql.json(p.metadata as never)},
          ${p.createdAt}, ${p.createdAt}
        ) on conflict (id) do nothing returning *`
      const [row] = rows
      return row ? ok(toOutgoingPayment(row)) : err('quote_used')
    },
    async getById(id) {
      const [row] = await sql<
        OutgoingPaymentRow[]
      >`select * from outgoing_payments where id = ${id}`
      return row && toOutgoingPayment(row)
    },
    list(request, filter = {}) {
      return keysetPage<OutgoingPaymentRow, OutgoingPayment>(sql, {
        table: 'outgoing_payments',
        where: whereOf(sql, filter),
        request,
        map: toOutgoingPayment,
      })
    },
    async cancel(id, metadata, at) {
      const rows = await sql<OutgoingPaymentRow[]>`
        update outgoing_payments set state = 'CANCELLED', updated_at = ${at},
          metadata = ${metadata === null ? null : sql.json(metadata as never)}
        where id = ${id} and state = 'FUNDING' returning *`
      return one(id, rows)
    },
    async markSending(id, at) {
      // One statement: the state and the wake-up of every replica's workers commit together.
      const rows = await sql<OutgoingPaymentRow[]>`
        with sending as (
          update outgoing_payments set state = 'SENDING', process_at = ${at}, updated_at = ${at}
          where id = ${id} and state = 'FUNDING' returning *
        )
        select sending.* from sending,
          lateral (select pg_notify(${workChannel(outgoingPaymentWorkTopic)}, sending.id::text)) woken`
      return one(id, rows)
    },
    async claimNext(now, leaseMs) {
      const leaseUntil = new Date(now.getTime() + leaseMs)
      const [row] = await sql<OutgoingPaymentRow[]>`
        update outgoing_payments set lease_until = ${leaseUntil}
        where id = (
          select id from outgoing_payments
          where state = 'SENDING' and process_at <= ${now}
            and (lease_until is null or lease_until <= ${now})
          order by process_at limit 1
          for update skip locked
        ) returning *`
      return row && toOutgoingPayment(row)
    },
    async renewLease(id, leaseUntil) {
      await sql`update outgoing_payments set lease_until = ${leaseUntil}
        where id = ${id} and state = 'SENDING'`
    },
    async finish(id, outcome, sent, at) {
      const rows = await sql<OutgoingPaymentRow[]>`
        update outgoing_payments set state = ${outcome.state}, error = ${outcome.error},
          sent_value = ${sent.toString()}, process_at = null, lease_until = null,
          updated_at = ${at}
        where id = ${id} and state = 'SENDING' returning *`
      return one(id, rows)
    },
    async scheduleRetry(id, stateAttempts, processAt, sent, at) {
      await sql`
        update outgoing_payments set state_attempts = ${stateAttempts}, process_at = ${processAt},
          sent_value = ${sent.toString()}, lease_until = null, updated_at = ${at}
        where id = ${id} and state = 'SENDING'`
    },
    async lockGrant(grantId) {
      await sql`insert into outgoing_payment_grants (id) values (${grantId})
        on conflict (id) do nothing`
      await sql`select id from outgoing_payment_grants where id = ${grantId} for update`
    },
    async spentUnderGrant(grantId, period) {
      const inPeriod = period
        ? sql`created_at >= ${period.start} and created_at < ${period.end}`
        : sql`true`
      // div() is numeric integer division: exact, rounded towards zero (Rafiki's bigint `/`).
      const rows = await sql<SpentRow[]>`
        select debit_asset_code, debit_asset_scale, receive_asset_code, receive_asset_scale,
          sum(case when state in ('FAILED', 'CANCELLED') then sent_value else debit_value end)
            as debit,
          sum(case when state in ('FAILED', 'CANCELLED')
            then div(receive_value * sent_value, debit_value) else receive_value end) as receive
        from outgoing_payments where grant_id = ${grantId} and ${inPeriod}
        group by debit_asset_code, debit_asset_scale, receive_asset_code, receive_asset_scale`
      return rows.map((row) => ({
        debitAssetCode: row.debit_asset_code,
        debitAssetScale: row.debit_asset_scale,
        receiveAssetCode: row.receive_asset_code,
        receiveAssetScale: row.receive_asset_scale,
        debit: BigInt(row.debit),
        receive: BigInt(row.receive),
      }))
    },
    async markLocalCredited(id) {
      const rows = await sql`
        update outgoing_payments set local_credited = true
        where id = ${id} and not local_credited returning id`
      return rows.length === 1
    },
  }
}

function whereOf(sql: ISql, filter: OutgoingPaymentFilter): PendingQuery<Row[]> {
  const eq = (column: string, value: string | undefined) =>
    value === undefined ? sql`true` : sql`${sql(column)} = ${value}`
  const states =
    filter.states === undefined
      ? sql`true`
      : filter.states.length === 0
        ? sql`false`
        : sql`state in ${sql([...filter.states])}`
  return sql`${eq('wallet_address_id', filter.walletAddressId)} and ${eq('receiver', filter.receiver)}
    and ${eq('client', filter.client)} and ${states}`
}
