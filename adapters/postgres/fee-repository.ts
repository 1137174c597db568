import type { Sql } from 'postgres'
import { isFeeType, type Fee } from '../../domain/fees/fee.ts'
import { toPage } from '../../domain/pagination/page.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type { FeeRepository } from '../../application/ports/fee-repository.ts'

type FeeRow = {
  id: string
  asset_id: string
  type: string
  fixed: string
  basis_points: number
  created_at: Date
}

const toFee = (row: FeeRow): Fee => {
  assert(isFeeType(row.type), `fees row ${row.id} has type ${row.type}`)
  return {
    id: row.id,
    assetId: row.asset_id,
    type: row.type,
    fixed: BigInt(row.fixed),
    basisPoints: row.basis_points,
    createdAt: row.created_at,
  }
}

/** Fees in the order they were set (`seq`), so the latest is always the last in that order. */
export function makePostgresFeeRepository(sql: Sql): FeeRepository {
  return {
    async create(fee) {
      const [row] = await sql<FeeRow[]>`
        insert into fees (id, asset_id, type, fixed, basis_points, created_at)
        values (${fee.id}, ${fee.assetId}, ${fee.type}, ${String(fee.fixed)},
                ${fee.basisPoints}, ${fee.createdAt})
        returning *`
      assert(row, `insert of fee ${fee.id} returned no row`)
      return toFee(row)
    },
    async latest(assetId, type) {
      const [row] = await sql<FeeRow[]>`
        select * from fees where asset_id = ${assetId} and type = ${type}
        order by seq desc limit 1`
      return row && toFee(row)
    },
    async listByAsset(assetId, request) {
      const ascending = (request.direction === 'forward') === (request.sortOrder === 'ASC')
      let after = sql`true`
      if (request.cursor !== undefined) {
        const [cursor] = await sql<{ seq: string }[]>`
          select seq from fees where id = ${request.cursor} and asset_id = ${assetId}`
        if (cursor === undefined) return err('unknown_cursor')
        after = ascending ? sql`seq > ${cursor.seq}` : sql`seq < ${cursor.seq}`
      }
      const rows = await sql<FeeRow[]>`
        select * from fees where asset_id = ${assetId} and ${after}
        order by seq ${ascending ? sql`asc` : sql`desc`} limit ${request.limit + 1}`
      return ok(toPage(rows.map(toFee), request))
    },
  }
}
