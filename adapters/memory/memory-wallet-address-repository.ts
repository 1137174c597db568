import { err, ok } from '../../domain/shared/result.ts'
import {
  deactivatedAtAfter,
  type WalletAddress,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type { WalletAddressRepository } from '../../application/ports/wallet-address-repository.ts'
import { pageOf } from './memory-page.ts'

/** In-process WalletAddressRepository for unit tests; same rules as the SQL one. */
export function makeMemoryWalletAddressRepository(): WalletAddressRepository {
  const rows = new Map<string, WalletAddress>()
  const byUrl = new Map<string, string>()
  return {
    async create(input) {
      if (byUrl.has(input.url)) return err('duplicate_url')
      const row: WalletAddress = {
        ...input,
        status: 'ACTIVE',
        updatedAt: input.createdAt,
        deactivatedAt: null,
      }
      rows.set(row.id, row)
      byUrl.set(row.url, row.id)
      return ok(row)
    },
    async update(id, changes, updatedAt) {
      const row = rows.get(id)
      if (!row) return undefined
      const status = changes.status ?? row.status
      const next: WalletAddress = {
        ...row,
        publicName: changes.publicName === undefined ? row.publicName : changes.publicName,
        additionalProperties: changes.additionalProperties ?? row.additionalProperties,
        status,
        deactivatedAt: deactivatedAtAfter(row, status, updatedAt),
        updatedAt,
      }
      rows.set(id, next)
      return { walletAddress: next, previousStatus: row.status }
    },
    async getById(id) {
      return rows.get(id)
    },
    async getByUrl(url) {
      const id = byUrl.get(url)
      return id === undefined ? undefined : rows.get(id)
    },
    async list(request) {
      return pageOf([...rows.values()], request)
    },
    async existsWithAsset(assetId) {
      return [...rows.values()].some((row) => row.assetId === assetId)
    },
  }
}
