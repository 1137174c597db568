import type { ISql, PendingQuery, Row } from 'postgres'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok } from '../../domain/shared/result.ts'
import {
  isWalletAddressStatus,
  type AdditionalProperty,
  type WalletAddress,
  type WalletAddressStatus,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type {
  DueWalletAddress,
  WalletAddressChanges,
  WalletAddressRepository,
} from '../../application/ports/wallet-address-repository.ts'
import { keysetPage } from './keyset-page.ts'

type WalletAddressRow = {
  id: string
  url: string
  asset_id: string
  public_name: string | null
  status: string
  additional_properties: unknown
  created_at: Date
  updated_at: Date
  deactivated_at: Date | null
}

const isProperty = (value: unknown): value is AdditionalProperty => {
  if (value === null || typeof value !== 'object') return false
  const { key, value: text, visibleInOpenPayments } = value as Record<string, unknown>
  return (
    typeof key === 'string' &&
    typeof text === 'string' &&
    typeof visibleInOpenPayments === 'boolean'
  )
}

function toProperties(id: string, raw: unknown): readonly AdditionalProperty[] {
  // Only this repository writes the column, from cleaned properties: anything else is a bug.
  assert(Array.isArray(raw) && raw.every(isProperty), `wallet_addresses ${id}: bad properties`)
  return raw.map(({ key, value, visibleInOpenPayments }) => ({ key, value, visibleInOpenPayments }))
}

function toWalletAddress(row: WalletAddressRow): WalletAddress {
  const { status } = row
  assert(isWalletAddressStatus(status), `wallet_addresses ${row.id}: unknown status ${status}`)
  return {
    id: row.id,
    url: row.url,
    assetId: row.asset_id,
    publicName: row.public_name,
    status,
    additionalProperties: toProperties(row.id, row.additional_properties),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deactivatedAt: row.deactivated_at,
  }
}

const propertiesJson = (properties: readonly AdditionalProperty[]) =>
  properties.map(({ key, value, visibleInOpenPayments }) => ({ key, value, visibleInOpenPayments }))

type DueRow = WalletAddressRow & {
  process_at: Date
  total_events_amount: string
  schedule_version: bigint
}

const toDue = (row: DueRow): DueWalletAddress => ({
  walletAddress: toWalletAddress(row),
  processAt: row.process_at,
  totalEventsAmount: BigInt(row.total_events_amount),
  scheduleVersion: row.schedule_version,
})

/** `sql` may be a transaction, so a later unit of work can span an update and its effects. */
export function makePostgresWalletAddressRepository(sql: ISql): WalletAddressRepository {
  return {
    async create(input) {
      const [row] = await sql<WalletAddressRow[]>`
        insert into wallet_addresses (id, url, asset_id, public_name, status,
                                      additional_properties, created_at, updated_at)
        values (${input.id}, ${input.url}, ${input.assetId}, ${input.publicName}, 'ACTIVE',
                ${sql.json(propertiesJson(input.additionalProperties))},
                ${input.createdAt}, ${input.createdAt})
        on conflict (url) do nothing
        returning *`
      return row ? ok(toWalletAddress(row)) : err('duplicate_url')
    },
    async update(id, changes, updatedAt) {
      const [row] = await sql<(WalletAddressRow & { previous_status: string })[]>`
        update wallet_addresses w set ${assignments(sql, changes, updatedAt)}
        from (select id, status from wallet_addresses where id = ${id} for update) previous
        where w.id = previous.id
        returning w.*, previous.status as previous_status`
      if (!row) return undefined
      const previousStatus: string = row.previous_status
      assert(isWalletAddressStatus(previousStatus), `wallet_addresses ${id}: unknown status`)
      return { walletAddress: toWalletAddress(row), previousStatus }
    },
    async getById(id) {
      const [row] = await sql<WalletAddressRow[]>`select * from wallet_addresses where id = ${id}`
      return row && toWalletAddress(row)
    },
    async getByUrl(url) {
      const [row] = await sql<WalletAddressRow[]>`select * from wallet_addresses where url = ${url}`
      return row && toWalletAddress(row)
    },
    list(request) {
      return keysetPage<WalletAddressRow, WalletAddress>(sql, {
        table: 'wallet_addresses',
        where: sql`true`,
        request,
        map: toWalletAddress,
      })
    },
    async existsWithAsset(assetId) {
      const [row] = await sql<{ used: boolean }[]>`
        select exists (select 1 from wallet_addresses where asset_id = ${assetId}) as used`
      return row?.used === true
    },
    async scheduleEvents(id, at) {
      const result = await sql`
        update wallet_addresses
        set process_at = least(process_at, ${at}), schedule_version = schedule_version + 1
        where id = ${id}`
      return result.count === 1
    },
    async listDueForEvents(now, limit) {
      assert(Number.isSafeInteger(limit) && limit >= 1, 'listDueForEvents: limit >= 1')
      const rows = await sql<DueRow[]>`
        select * from wallet_addresses
        where process_at <= ${now}
        order by process_at, id
        limit ${limit}`
      return rows.map(toDue)
    },
    async markEventsReported(seen, totalEventsAmount) {
      assert(totalEventsAmount >= seen.totalEventsAmount, 'reported totals only grow')
      // Row locks serialize concurrent reporters; a waiting one re-checks the WHERE clause after
      // the first commits and finds the total or the version moved.
      const result = await sql`
        update wallet_addresses
        set process_at = null, total_events_amount = ${totalEventsAmount.toString()}::numeric
        where id = ${seen.walletAddress.id}
          and process_at is not null
          and total_events_amount = ${seen.totalEventsAmount.toString()}::numeric
          and schedule_version = ${seen.scheduleVersion.toString()}::bigint`
      return result.count === 1
    },
  }
}

/**
 * The SET list of an update: absent changes keep their column; deactivated_at follows
 * deactivatedAtAfter() (right-hand sides see the row as it was before this update).
 */
function assignments(
  sql: ISql,
  changes: WalletAddressChanges,
  updatedAt: Date,
): PendingQuery<Row[]> {
  const status: WalletAddressStatus | null = changes.status ?? null
  const publicName =
    changes.publicName === undefined ? sql`w.public_name` : sql`${changes.publicName}`
  const properties =
    changes.additionalProperties === undefined
      ? sql`w.additional_properties`
      : sql`${sql.json(propertiesJson(changes.additionalProperties))}`
  return sql`
    public_name = ${publicName},
    additional_properties = ${properties},
    status = coalesce(${status}::text, w.status),
    deactivated_at = case
      when ${status}::text is null or ${status}::text = w.status then w.deactivated_at
      when ${status}::text = 'INACTIVE' then ${updatedAt}::timestamptz
      else null
    end,
    updated_at = ${updatedAt}`
}
