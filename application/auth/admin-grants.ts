// The auth admin API's grant use cases (Rafiki auth graphql/resolvers/grant.ts): list grants with
// a filter, read one, revoke one. Three small factories kept together because they are the whole
// admin surface of one aggregate and share the id and filter rules.
import type { Grant, GrantWithAccess } from '../../domain/auth/grant.ts'
import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AuthGrantRepository, GrantFilter } from '../ports/auth-grant-repository.ts'
import type { Clock } from '../ports/clock.ts'

/** Values one filter list may carry (identifier.in, state.in, ...). */
export const grantFilterValuesMax = 100

export type ListGrantsError = PageError | 'too_many_filter_values'

export type ListGrants = (
  filter: GrantFilter,
  args: PageArgs,
) => Promise<Result<Page<GrantWithAccess>, ListGrantsError>>

export type GetGrant = (id: string) => Promise<GrantWithAccess | undefined>

export type RevokeGrantByAdminError =
  | 'unknown_grant'
  /** The grant was rejected: there is nothing to revoke. */
  | 'invalid_transition'

export type RevokeGrantByAdmin = (
  grantId: string,
) => Promise<Result<Grant, RevokeGrantByAdminError>>

type Lists = readonly (readonly unknown[] | undefined)[]

const lists = (filter: GrantFilter): Lists => [
  filter.identifier?.in,
  filter.state?.in,
  filter.state?.notIn,
  filter.finalizationReason?.in,
  filter.finalizationReason?.notIn,
]

// Rafiki applies a filter list only when it is non-empty (`if (x?.in?.length)`): an empty one
// filters nothing rather than everything.
const nonEmpty = <T>(values: readonly T[] | undefined) =>
  values !== undefined && values.length > 0 ? values : undefined

function part<K extends string, T>(
  values: Partial<Record<K, readonly T[] | undefined>> | undefined,
  keys: readonly K[],
): Partial<Record<K, readonly T[]>> | undefined {
  const kept: Partial<Record<K, readonly T[]>> = {}
  for (const key of keys) {
    const list = nonEmpty(values?.[key])
    if (list) kept[key] = list
  }
  return Object.keys(kept).length > 0 ? kept : undefined
}

/** The filter without its empty lists and empty parts. */
export function normalizeGrantFilter(filter: GrantFilter): GrantFilter {
  const identifier = part(filter.identifier, ['in'])
  const state = part(filter.state, ['in', 'notIn'])
  const finalizationReason = part(filter.finalizationReason, ['in', 'notIn'])
  return {
    ...(identifier && { identifier }),
    ...(state && { state }),
    ...(finalizationReason && { finalizationReason }),
  }
}

export const makeListGrants =
  (deps: { readonly grants: AuthGrantRepository }): ListGrants =>
  async (filter, args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    if (lists(filter).some((list) => (list?.length ?? 0) > grantFilterValuesMax)) {
      return err('too_many_filter_values')
    }
    const page = await deps.grants.list(normalizeGrantFilter(filter), request.value)
    return page.ok ? page : err('invalid_cursor')
  }

export const makeGetGrant =
  (deps: { readonly grants: AuthGrantRepository }): GetGrant =>
  (id) =>
    isUuid(id) ? deps.grants.findById(id) : Promise.resolve(undefined)

/**
 * Finalizes the grant as REVOKED and revokes its tokens (repo.revokeGrant, one transaction).
 * Revoking a revoked grant succeeds and changes nothing, as Rafiki's does; a rejected grant is
 * refused (Rafiki would overwrite REJECTED with REVOKED).
 */
export const makeRevokeGrantByAdmin =
  (deps: { readonly grants: AuthGrantRepository; readonly clock: Clock }): RevokeGrantByAdmin =>
  async (grantId) => {
    if (!isUuid(grantId)) return err('unknown_grant')
    const revoked = await deps.grants.revokeGrant(grantId, new Date(deps.clock.now()))
    if (revoked.ok || revoked.error === 'unknown_grant') return revoked
    const current = await deps.grants.findById(grantId)
    if (current?.state === 'FINALIZED' && current.finalizationReason === 'REVOKED') {
      const { access: _access, ...grant } = current
      return ok(grant)
    }
    return revoked
  }
