import { err, ok } from '../../domain/shared/result.ts'
import {
  deactivatedAtAfter,
  type WalletAddress,
} from '../../domain/wallet-addresses/wallet-address.ts'
import { assert } from '../../domain/shared/assert.ts'
import type {
  DueWalletAddress,
  WalletAddressRepository,
} from '../../application/ports/wallet-address-repository.ts'
import { pageOf } from './memory-page.ts'

/** In-process WalletAddressRepository for unit tests; same rules as the SQL one. */
export function makeMemoryWalletAddressRepository(): WalletAddressRepository {
  const rows = new Map<string, WalletAddress>()
  const byUrl = new Map<string, string>()
  // Web-monetization reporting state, kept beside the rows as the SQL table keeps its columns.
  type Schedule = { processAt: Date | null; totalEventsAmount: bigint; scheduleVersion: bigint }
  const schedules = new Map<string, Schedule>()
  const scheduleOf = (id: string): Schedule =>
    schedules.get(id) ?? { processAt: null, totalEventsAmount: 0n, scheduleVersion: 0n }
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
    async scheduleEvents(id, at) {
      if (!rows.has(id)) return false
      const current = scheduleOf(id)
      const processAt =
        current.processAt === null || at.getTime() < current.processAt.getTime()
          ? at
          : current.processAt
      schedules.set(id, { ...current, processAt, scheduleVersion: current.scheduleVersion + 1n })
      return true
    },
    async listDueForEvents(now, limit) {
      assert(Number.isSafeInteger(limit) && limit >= 1, 'listDueForEvents: limit >= 1')
      const due: DueWalletAddress[] = []
      for (const [id, schedule] of schedules) {
        const walletAddress = rows.get(id)
        const { processAt } = schedule
        if (!walletAddress || processAt === null || processAt.getTime() > now.getTime()) continue
        due.push({ ...schedule, walletAddress, processAt })
      }
      return due
        .sort(
          (a, b) =>
            a.processAt.getTime() - b.processAt.getTime() ||
            (a.walletAddress.id < b.walletAddress.id ? -1 : 1),
        )
        .slice(0, limit)
    },
    async markEventsReported(seen, totalEventsAmount) {
      assert(totalEventsAmount >= seen.totalEventsAmount, 'reported totals only grow')
      const id = seen.walletAddress.id
      const current = scheduleOf(id)
      if (
        current.processAt === null ||
        current.totalEventsAmount !== seen.totalEventsAmount ||
        current.scheduleVersion !== seen.scheduleVersion
      ) {
        return false
      }
      schedules.set(id, { ...current, processAt: null, totalEventsAmount })
      return true
    },
  }
}
