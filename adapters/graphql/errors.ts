import { GraphQLError } from 'graphql'
import type { PageError } from '../../domain/pagination/page.ts'
import type { IdempotencyError } from '../../application/admin/run-idempotent.ts'

/** The extensions.code values of Rafiki's admin API (COMPAT.md). */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'DUPLICATE'
  | 'FORBIDDEN'
  | 'INACTIVE'
  | 'INTERNAL_SERVER_ERROR'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TIMEOUT'

export type ErrorReply = readonly [code: ErrorCode, message: string]

export const graphqlError = ([code, message]: ErrorReply): GraphQLError =>
  new GraphQLError(message, { extensions: { code } })

export const pageErrors = {
  invalid_page_size: ['BAD_USER_INPUT', 'Pagination page size must be from 1 to 100'],
  invalid_cursor: ['BAD_USER_INPUT', 'Pagination cursor is malformed or unknown'],
  last_requires_before: ['BAD_USER_INPUT', 'Backwards pagination requires a `before` cursor'],
  first_and_last: ['BAD_USER_INPUT', 'Pagination takes `first` or `last`, not both'],
  after_and_before: ['BAD_USER_INPUT', 'Pagination takes `after` or `before`, not both'],
} as const satisfies Record<PageError, ErrorReply>

export const idempotencyErrors = {
  idempotency_key_reused: [
    'CONFLICT',
    'Incoming arguments are different than the original request for this idempotencyKey',
  ],
  idempotency_concurrent_request: ['CONFLICT', 'Concurrent request for this idempotencyKey'],
} as const satisfies Record<IdempotencyError, ErrorReply>
