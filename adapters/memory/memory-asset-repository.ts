import type { Asset } from '../../domain/assets/asset.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import { pageOf } from './memory-page.ts'

type Row = Asset & { readonly deletedAt: Date | null }

const live = (row: Row | undefined): row is Row => row !== undefined && row.deletedAt === null

const toAsset = ({ deletedAt: _deletedAt, ...asset }: Row): Asset => asset

/** In-process AssetRepository for unit tests; same rules as the SQL one. */
export function makeMemoryAssetRepository(): AssetRepository {
  const rows = new Map<string, Row>()
  let ledger = 0
  return {
    async create(input) {
      for (const row of rows.values()) {
        if (live(row) && row.code === input.code && row.scale === input.scale) {
          return err('duplicate_asset')
        }
      }
      ledger += 1
      const row: Row = { ...input, ledger, updatedAt: input.createdAt, deletedAt: null }
      rows.set(row.id, row)
      return ok(toAsset(row))
    },
    async updateThresholds(id, thresholds, updatedAt) {
      const row = rows.get(id)
      if (!live(row)) return undefined
      const next = { ...row, ...thresholds, updatedAt }
      rows.set(id, next)
      return toAsset(next)
    },
    async softDelete(id, deletedAt) {
      const row = rows.get(id)
      if (!live(row)) return undefined
      rows.set(id, { ...row, deletedAt, updatedAt: deletedAt })
      return toAsset(row)
    },
    async getById(id) {
      const row = rows.get(id)
      return live(row) ? toAsset(row) : undefined
    },
    async getByCodeAndScale(code, scale) {
      for (const row of rows.values()) {
        if (live(row) && row.code === code && row.scale === scale) return toAsset(row)
      }
      return undefined
    },
    async list(request) {
      const page = pageOf([...rows.values()].filter(live), request)
      return page.ok ? ok({ ...page.value, items: page.value.items.map(toAsset) }) : page
    },
  }
}
