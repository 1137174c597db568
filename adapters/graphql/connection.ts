import type { Page, PageArgs } from '../../domain/pagination/page.ts'

/** A Relay connection; cursors are row ids (Rafiki's convention). */
export function toConnection<T extends { readonly id: string }>(page: Page<T>) {
  const first = page.items[0]
  const last = page.items[page.items.length - 1]
  return {
    pageInfo: {
      startCursor: first?.id ?? null,
      endCursor: last?.id ?? null,
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
    },
    edges: page.items.map((node) => ({ cursor: node.id, node })),
  }
}

/** The connection arguments every list field takes. */
export const connectionArgs =
  'after: String, before: String, first: Int, last: Int, sortOrder: SortOrder'

export type ConnectionArgs = PageArgs
