import type { ISql, PendingQuery, Row } from 'postgres'
import { toPage, type Page, type PageRequest } from '../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'

/**
 * Keyset pagination over (created_at, id): the cost of a page does not grow with the table.
 * `where` filters the rows (it must also hold for the cursor row); `table` is a trusted name.
 */
export async function keysetPage<R extends Row, T>(
  // ISql: a pool or a transaction, so repositories bound to a unit of work can page too.
  sql: ISql,
  options: {
    readonly table: string
    readonly where: PendingQuery<Row[]>
    readonly request: PageRequest
    readonly map: (row: R) => T
  },
): Promise<Result<Page<T>, 'unknown_cursor'>> {
  const { table, where, request } = options
  const ascending = (request.direction === 'forward') === (request.sortOrder === 'ASC')
  const order = ascending ? sql`asc` : sql`desc`
  let after = sql`true`
  if (request.cursor !== undefined) {
    const [cursor] = await sql`
      select created_at, id from ${sql(table)} where id = ${request.cursor} and ${where}`
    if (cursor === undefined) return err('unknown_cursor')
    after = ascending
      ? sql`(created_at, id) > (${cursor['created_at']}, ${cursor['id']})`
      : sql`(created_at, id) < (${cursor['created_at']}, ${cursor['id']})`
  }
  const rows = await sql<R[]>`
    select * from ${sql(table)} where ${where} and ${after}
    order by created_at ${order}, id ${order} limit ${request.limit + 1}`
  return ok(toPage(rows.map(options.map), request))
}
