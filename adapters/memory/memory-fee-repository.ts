import type { Fee } from '../../domain/fees/fee.ts'
import { toPage } from '../../domain/pagination/page.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type { FeeRepository } from '../../application/ports/fee-repository.ts'

/** In-process FeeRepository for unit tests; same rules as the SQL one. */
export function makeMemoryFeeRepository(): FeeRepository {
  // In the order the fees were set, as the SQL table's `seq`.
  const rows: Fee[] = []
  return {
    async create(fee) {
      rows.push(fee)
      return fee
    },
    async latest(assetId, type) {
      return rows.findLast((row) => row.assetId === assetId && row.type === type)
    },
    async listByAsset(assetId, request) {
      const ascending = (request.direction === 'forward') === (request.sortOrder === 'ASC')
      const ofAsset = rows.filter((row) => row.assetId === assetId)
      const walk = ascending ? ofAsset : ofAsset.reverse()
      let start = 0
      if (request.cursor !== undefined) {
        const index = walk.findIndex((row) => row.id === request.cursor)
        if (index < 0) return err('unknown_cursor')
        start = index + 1
      }
      return ok(toPage(walk.slice(start, start + request.limit + 1), request))
    },
  }
}
