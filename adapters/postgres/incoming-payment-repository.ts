import type { ISql } from 'postgres'
import {
  isIncomingPaymentState,
  type IncomingPayment,
} from '../../domain/incoming-payments/incoming-payment.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import type {
  ActionError,
  IncomingPaymentRepository,
  UnknownOrWrongState,
} from '../../application/ports/incoming-payment-repository.ts'
import { keysetPage } from './keyset-page.ts'

type IncomingPaymentRow = {
  id: string
  wallet_address_id: string
  client: string | null
  state: string
  asset_code: string
  asset_scale: number
  incoming_value: string | null
  received_value: string
  expires_at: Date
  metadata: unknown
  approved_at: Date | null
  cancelled_at: Date | null
  created_at: Date
  updated_at: Date
}

const isJsonObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function toIncomingPayment(row: IncomingPaymentRow): IncomingPayment {
  const { state, metadata } = row
  assert(isIncomingPaymentState(state), `incoming_payments ${row.id}: unknown state ${state}`)
  assert(metadata === null || isJsonObject(metadata), `incoming_payments ${row.id}: metadata`)
  const asset = { assetCode: row.asset_code, assetScale: row.asset_scale }
  return {
    id: row.id,
    walletAddressId: row.wallet_address_id,
    client: row.client,
    state,
    incomingAmount:
      row.incoming_value === null ? null : { value: BigInt(row.incoming_value), ...asset },
    receivedAmount: { value: BigInt(row.received_value), ...asset },
    expiresAt: row.expires_at,
    metadata,
    approvedAt: row.approved_at,
    cancelledAt: row.cancelled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** `sql` may be a transaction (see postgres-unit-of-work.ts). */
export function makePostgresIncomingPaymentRepository(sql: ISql): IncomingPaymentRepository {
  // The write did not apply: tell a missing payment from one in the wrong state.
  const classify = async (id: string): Promise<Result<never, UnknownOrWrongState>> => {
    const [row] = await sql`select 1 from incoming_payments where id = ${id}`
    return err(row ? 'wrong_state' : 'unknown_incoming_payment')
  }
  // approve/cancel did not apply: Rafiki checks the state before the other action.
  const classifyAction = async (id: string): Promise<Result<never, ActionError>> => {
    const [row] = await sql<{ state: string }[]>`
      select state from incoming_payments where id = ${id}`
    if (!row) return err('unknown_incoming_payment')
    return err(row.state === 'PENDING' ? 'already_actioned' : 'wrong_state')
  }
  const single = async (
    id: string,
    rows: readonly IncomingPaymentRow[],
  ): Promise<Result<IncomingPayment, UnknownOrWrongState>> => {
    const [row] = rows
    return row ? ok(toIncomingPayment(row)) : classify(id)
  }
  return {
    async create(input) {
      const [row] = await sql<IncomingPaymentRow[]>`
        insert into incoming_payments (id, wallet_address_id, client, state, asset_code,
          asset_scale, incoming_value, expires_at, metadata, created_at, updated_at)
        values (${input.id}, ${input.walletAddressId}, ${input.client}, 'PENDING', ${input.assetCode},
          ${input.assetScale}, ${input.incomingAmount?.value.toString() ?? null},
          ${input.expiresAt}, ${input.metadata === null ? null : sql.json(input.metadata as never)},
          ${input.createdAt}, ${input.createdAt})
        returning *`
      assert(row, 'insert into incoming_payments returned no row')
      return toIncomingPayment(row)
    },
    async getById(id) {
      const [row] = await sql<IncomingPaymentRow[]>`
        select * from incoming_payments where id = ${id}`
      return row && toIncomingPayment(row)
    },
    listByWalletAddress(walletAddressId, request, client) {
      return keysetPage<IncomingPaymentRow, IncomingPayment>(sql, {
        table: 'incoming_payments',
        where:
          client === undefined
            ? sql`wallet_address_id = ${walletAddressId}`
            : sql`wallet_address_id = ${walletAddressId} and client = ${client}`,
        request,
        map: toIncomingPayment,
      })
    },
    async updateMetadata(id, metadata, at) {
      const [row] = await sql<IncomingPaymentRow[]>`
        update incoming_payments
        set metadata = ${metadata === null ? null : sql.json(metadata as never)}, updated_at = ${at}
        where id = ${id} returning *`
      return row && toIncomingPayment(row)
    },
    async addReceived(id, amount, at, options) {
      const value = amount.toString()
      const capped = options?.upToIncomingAmount === true
      // Row locks serialize concurrent credits; a waiting one re-checks the WHERE clause after
      // the first commits, so only one of them can move the state to COMPLETED.
      const [row] = await sql<IncomingPaymentRow[]>`
        update incoming_payments
        set received_value = received_value + ${value}::numeric,
          state = case
            when incoming_value is not null
              and received_value + ${value}::numeric >= incoming_value
            then 'COMPLETED' else 'PROCESSING' end,
          updated_at = ${at}
        where id = ${id} and state in ('PENDING', 'PROCESSING') and expires_at > ${at}
          and (not ${capped}::boolean or incoming_value is null
               or received_value + ${value}::numeric <= incoming_value)
        returning *`
      if (row) {
        const payment = toIncomingPayment(row)
        return ok({ payment, completedNow: payment.state === 'COMPLETED' })
      }
      if (!capped) return classify(id)
      const [over] = await sql`
        select 1 from incoming_payments
        where id = ${id} and state in ('PENDING', 'PROCESSING') and expires_at > ${at}
          and received_value + ${value}::numeric > incoming_value`
      return over ? err('exceeds_incoming_amount') : classify(id)
    },
    async complete(id, at) {
      return single(
        id,
        await sql<IncomingPaymentRow[]>`
          update incoming_payments set state = 'COMPLETED', updated_at = ${at}
          where id = ${id} and state in ('PENDING', 'PROCESSING') returning *`,
      )
    },
    async approve(id, at) {
      const rows = await sql<IncomingPaymentRow[]>`
        update incoming_payments
        set approved_at = coalesce(approved_at, ${at}),
          updated_at = case when approved_at is null then ${at} else updated_at end
        where id = ${id} and state = 'PENDING' and cancelled_at is null
        returning *`
      const [row] = rows
      return row ? ok(toIncomingPayment(row)) : classifyAction(id)
    },
    async cancel(id, at) {
      const rows = await sql<IncomingPaymentRow[]>`
        update incoming_payments
        set cancelled_at = coalesce(cancelled_at, ${at}),
          updated_at = case when cancelled_at is null then ${at} else updated_at end
        where id = ${id} and state = 'PENDING' and approved_at is null
        returning *`
      const [row] = rows
      return row ? ok(toIncomingPayment(row)) : classifyAction(id)
    },
    async capExpiry(walletAddressId, latest, at) {
      const result = await sql`
        update incoming_payments set expires_at = ${latest}, updated_at = ${at}
        where wallet_address_id = ${walletAddressId} and state in ('PENDING', 'PROCESSING')
          and expires_at > ${latest}`
      return result.count
    },
    async expireDue(now, limit) {
      const rows = await sql<IncomingPaymentRow[]>`
        update incoming_payments p set state = 'EXPIRED', updated_at = ${now}
        from (
          select id from incoming_payments
          where state in ('PENDING', 'PROCESSING') and expires_at <= ${now}
          order by expires_at limit ${limit}
          for update skip locked
        ) due
        where p.id = due.id
        returning p.*`
      return rows.map(toIncomingPayment)
    },
  }
}
