import type { ISql, PendingQuery, Row } from 'postgres'
import { isPaymentType, type Payment } from '../../domain/payments/payment.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import type {
  PaymentFilter,
  PaymentRepository,
} from '../../application/ports/payment-repository.ts'
import { keysetPage } from './keyset-page.ts'

type PaymentRow = {
  id: string
  type: string
  wallet_address_id: string
  client: string | null
  state: string
  metadata: unknown
  created_at: Date
}

const isJsonObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function toPayment(row: PaymentRow): Payment {
  const { type, metadata } = row
  assert(isPaymentType(type), `payments ${row.id}: unknown type ${type}`)
  assert(metadata === null || isJsonObject(metadata), `payments ${row.id}: metadata`)
  return {
    id: row.id,
    type,
    walletAddressId: row.wallet_address_id,
    client: row.client,
    state: row.state,
    metadata,
    createdAt: row.created_at,
  }
}

/** Pages over the `payments` view (migrations/0007_withdrawals.sql), one branch per kind. */
export function makePostgresPaymentRepository(sql: ISql): PaymentRepository {
  return {
    list: (request, filter = {}) =>
      keysetPage<PaymentRow, Payment>(sql, {
        table: 'payments',
        where: whereOf(sql, filter),
        request,
        map: toPayment,
      }),
  }
}

function whereOf(sql: ISql, filter: PaymentFilter): PendingQuery<Row[]> {
  // `in ()` is a syntax error, and an empty list keeps nothing anyway.
  const inList = (column: string, values: readonly string[] | undefined) =>
    values === undefined
      ? sql`true`
      : values.length === 0
        ? sql`false`
        : sql`${sql(column)} in ${sql([...values])}`
  return sql`${inList('type', filter.types)} and ${inList('wallet_address_id', filter.walletAddressIds)}`
}
