import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import { toPage } from '../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'

type Keyed = { readonly id: string; readonly createdAt: Date }

const compare = (a: Keyed, b: Keyed): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Keyset pagination over (createdAt, id), the same order the SQL repositories use. */
export function pageOf<T extends Keyed>(
  rows: readonly T[],
  request: PageRequest,
): Result<Page<T>, 'unknown_cursor'> {
  const ascending = (request.direction === 'forward') === (request.sortOrder === 'ASC')
  const walk = [...rows].sort((a, b) => (ascending ? compare(a, b) : compare(b, a)))
  let start = 0
  if (request.cursor !== undefined) {
    const index = walk.findIndex((row) => row.id === request.cursor)
    if (index < 0) return err('unknown_cursor')
    start = index + 1
  }
  return ok(toPage(walk.slice(start, start + request.limit + 1), request))
}
