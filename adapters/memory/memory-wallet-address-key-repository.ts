import { err, ok } from '../../domain/shared/result.ts'
import type { WalletAddressKey } from '../../domain/wallet-addresses/wallet-address-key.ts'
import type { WalletAddressKeyRepository } from '../../application/ports/wallet-address-key-repository.ts'
import { pageOf } from './memory-page.ts'

const newestFirst = (a: WalletAddressKey, b: WalletAddressKey): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

/** In-process WalletAddressKeyRepository for unit tests; same rules as the SQL one. */
export function makeMemoryWalletAddressKeyRepository(): WalletAddressKeyRepository {
  const rows = new Map<string, WalletAddressKey>()
  const ofWalletAddress = (walletAddressId: string) =>
    [...rows.values()].filter((row) => row.walletAddressId === walletAddressId)
  return {
    async create(input) {
      const { kid } = input.jwk
      if (ofWalletAddress(input.walletAddressId).some((row) => row.kid === kid)) {
        return err('duplicate_key')
      }
      const row: WalletAddressKey = { ...input, kid, revoked: false }
      rows.set(row.id, row)
      return ok(row)
    },
    async revoke(id) {
      const row = rows.get(id)
      if (!row || row.revoked) return row
      const revoked = { ...row, revoked: true }
      rows.set(id, revoked)
      return revoked
    },
    async getById(id) {
      return rows.get(id)
    },
    async listActive(walletAddressId, limit) {
      return ofWalletAddress(walletAddressId)
        .filter((row) => !row.revoked)
        .sort(newestFirst)
        .slice(0, limit)
    },
    async list(walletAddressId, request) {
      return pageOf(ofWalletAddress(walletAddressId), request)
    },
  }
}
