import type { Sql } from 'postgres'
import type { Asset } from '../../domain/assets/asset.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import { keysetPage } from './keyset-page.ts'

type AssetRow = {
  id: string
  code: string
  scale: number
  ledger: number
  withdrawal_threshold: string | null
  liquidity_threshold: string | null
  created_at: Date
  updated_at: Date
}

const toBigint = (value: string | null): bigint | null => (value === null ? null : BigInt(value))

const toAsset = (row: AssetRow): Asset => ({
  id: row.id,
  code: row.code,
  scale: row.scale,
  ledger: row.ledger,
  withdrawalThreshold: toBigint(row.withdrawal_threshold),
  liquidityThreshold: toBigint(row.liquidity_threshold),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

const numeric = (value: bigint | null): string | null => (value === null ? null : String(value))

export function makePostgresAssetRepository(sql: Sql): AssetRepository {
  return {
    async create(input) {
      const [row] = await sql<AssetRow[]>`
        insert into assets (id, code, scale, withdrawal_threshold, liquidity_threshold,
                            created_at, updated_at)
        values (${input.id}, ${input.code}, ${input.scale},
                ${numeric(input.withdrawalThreshold)}, ${numeric(input.liquidityThreshold)},
                ${input.createdAt}, ${input.createdAt})
        on conflict (code, scale) where deleted_at is null do nothing
        returning *`
      return row ? ok(toAsset(row)) : err('duplicate_asset')
    },
    async updateThresholds(id, thresholds, updatedAt) {
      const [row] = await sql<AssetRow[]>`
        update assets set
          withdrawal_threshold = ${numeric(thresholds.withdrawalThreshold)},
          liquidity_threshold = ${numeric(thresholds.liquidityThreshold)},
          updated_at = ${updatedAt}
        where id = ${id} and deleted_at is null
        returning *`
      return row && toAsset(row)
    },
    async softDelete(id, deletedAt) {
      const [row] = await sql<AssetRow[]>`
        update assets set deleted_at = ${deletedAt}, updated_at = ${deletedAt}
        where id = ${id} and deleted_at is null
        returning *`
      return row && toAsset(row)
    },
    async getById(id) {
      const [row] = await sql<AssetRow[]>`
        select * from assets where id = ${id} and deleted_at is null`
      return row && toAsset(row)
    },
    async getByCodeAndScale(code, scale) {
      const [row] = await sql<AssetRow[]>`
        select * from assets where code = ${code} and scale = ${scale} and deleted_at is null`
      return row && toAsset(row)
    },
    list(request) {
      return keysetPage<AssetRow, Asset>(sql, {
        table: 'assets',
        where: sql`deleted_at is null`,
        request,
        map: toAsset,
      })
    },
  }
}
