import { err, ok, type Result } from '../shared/result.ts'
import { isUuid } from '../shared/uuid.ts'

export type SortOrder = 'ASC' | 'DESC'

export const pageSizeDefault = 20
export const pageSizeMax = 100

/** Relay-style arguments as the admin API and Open Payments lists accept them. */
export type PageArgs = {
  readonly first?: number | null | undefined
  readonly last?: number | null | undefined
  readonly after?: string | null | undefined
  readonly before?: string | null | undefined
  readonly sortOrder?: SortOrder | null | undefined
}

/** A validated request: walk `direction` of the sort order from `cursor`, take `limit` rows. */
export type PageRequest = {
  readonly limit: number
  readonly cursor: string | undefined
  /** forward: rows after the cursor in sort order; backward: rows before it. */
  readonly direction: 'forward' | 'backward'
  readonly sortOrder: SortOrder
}

export type PageError =
  | 'invalid_page_size'
  | 'invalid_cursor'
  | 'last_requires_before'
  | 'first_and_last'
  | 'after_and_before'

export type Page<T> = {
  readonly items: readonly T[]
  readonly hasNextPage: boolean
  readonly hasPreviousPage: boolean
}

const isSize = (size: number): boolean => Number.isInteger(size) && size >= 1 && size <= pageSizeMax

/** Cursors are row ids (UUIDs), as Rafiki's are. */
export const isCursor = isUuid

export function toPageRequest(args: PageArgs): Result<PageRequest, PageError> {
  const { first, last, after, before } = args
  const sortOrder = args.sortOrder ?? 'DESC'
  if (first != null && last != null) return err('first_and_last')
  if (after != null && before != null) return err('after_and_before')
  if (last != null && before == null) return err('last_requires_before')
  const size = first ?? last ?? pageSizeDefault
  if (!isSize(size)) return err('invalid_page_size')
  const cursor = after ?? before ?? undefined
  if (cursor !== undefined && !isCursor(cursor)) return err('invalid_cursor')
  const backward = before != null
  return ok({ limit: size, cursor, direction: backward ? 'backward' : 'forward', sortOrder })
}

/**
 * Shapes `rows` fetched with limit + 1 in walking order into a page in sort order. `cursorGiven`
 * tells whether rows exist on the far side of the cursor (Relay's hasPrevious/hasNext).
 */
export function toPage<T>(rows: readonly T[], request: PageRequest): Page<T> {
  const more = rows.length > request.limit
  const taken = more ? rows.slice(0, request.limit) : rows
  if (request.direction === 'forward') {
    return { items: taken, hasNextPage: more, hasPreviousPage: request.cursor !== undefined }
  }
  return {
    items: [...taken].reverse(),
    hasNextPage: request.cursor !== undefined,
    hasPreviousPage: more,
  }
}
