// The query and reply of Open Payments lists (GET /outgoing-payments?wallet-address=...):
// first|last and cursor in, {pagination, result} out.
import * as v from 'valibot'
import type { Page, PageArgs, PageError } from '../../../domain/pagination/page.ts'
import { invalidRequest, type OpErrorReply } from './op-http.ts'

const pageSizeSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,3}$/, 'must be an integer from 1 to 100'),
  v.transform(Number),
  v.minValue(1, 'must be an integer from 1 to 100'),
  v.maxValue(100, 'must be an integer from 1 to 100'),
)

export const listQuerySchema = v.object({
  'wallet-address': v.pipe(
    v.string('the wallet-address query parameter is required'),
    v.url('must be a URL'),
  ),
  first: v.optional(pageSizeSchema),
  last: v.optional(pageSizeSchema),
  cursor: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty'))),
})

export type ListQuery = v.InferOutput<typeof listQuerySchema>

/** `last` walks backwards from the cursor, `first` (or nothing) forwards. */
export const listPageArgs = (query: ListQuery): PageArgs => ({
  first: query.first,
  last: query.last,
  [query.last !== undefined ? 'before' : 'after']: query.cursor,
})

export function pageErrorReply(error: PageError, listed: string): OpErrorReply {
  const descriptions = {
    invalid_page_size: 'first and last must be integers from 1 to 100',
    invalid_cursor: `cursor is not one of the listed ${listed}`,
    last_requires_before: 'last needs a cursor',
    first_and_last: 'use first or last, not both',
    after_and_before: 'use one cursor',
  } as const satisfies Record<PageError, string>
  return invalidRequest(descriptions[error])
}

export function paginationJson(page: Page<{ readonly id: string }>) {
  const [first] = page.items
  const last = page.items.at(-1)
  return {
    ...(first && { startCursor: first.id }),
    ...(last && { endCursor: last.id }),
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
  }
}
