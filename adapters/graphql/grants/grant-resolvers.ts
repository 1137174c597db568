import type {
  FinalizationReason,
  Grant,
  GrantState,
  GrantWithAccess,
} from '../../../domain/auth/grant.ts'
import type { AccessItem } from '../../../domain/open-payments/access.ts'
import type { PageArgs } from '../../../domain/pagination/page.ts'
import type {
  GetGrant,
  ListGrants,
  ListGrantsError,
  RevokeGrantByAdmin,
  RevokeGrantByAdminError,
} from '../../../application/auth/admin-grants.ts'
import type { GrantFilter } from '../../../application/ports/auth-grant-repository.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'

export type GrantResolverDeps = {
  readonly listGrants: ListGrants
  readonly getGrant: GetGrant
  readonly revokeGrantByAdmin: RevokeGrantByAdmin
}

const listErrors = {
  ...pageErrors,
  too_many_filter_values: ['BAD_USER_INPUT', 'A grant filter list takes at most 100 values'],
} as const satisfies Record<ListGrantsError, ErrorReply>

// Codes and messages as Rafiki auth's graphql/resolvers/grant.ts; the last one is ours (Rafiki
// would overwrite REJECTED with REVOKED).
const revokeErrors = {
  unknown_grant: ['NOT_FOUND', 'Revoke grant was not successful'],
  invalid_transition: [
    'BAD_USER_INPUT',
    'Grant was rejected: only a live or pending grant can be revoked',
  ],
} as const satisfies Record<RevokeGrantByAdminError, ErrorReply>

const notFound: ErrorReply = ['NOT_FOUND', 'No grant']
const noGrantId: ErrorReply = ['FORBIDDEN', 'Grant id is not provided']

type Maybe<T> = T | null | undefined
type FilterArgs = {
  identifier?: Maybe<{ in?: Maybe<string[]> }>
  state?: Maybe<{ in?: Maybe<GrantState[]>; notIn?: Maybe<GrantState[]> }>
  finalizationReason?: Maybe<{
    in?: Maybe<FinalizationReason[]>
    notIn?: Maybe<FinalizationReason[]>
  }>
}

/** GraphQL nulls become absent parts (GrantFilter's "absent does not filter"). */
function toGrantFilter(filter: Maybe<FilterArgs>): GrantFilter {
  const { identifier, state, finalizationReason: reason } = filter ?? {}
  return {
    ...(identifier?.in && { identifier: { in: identifier.in } }),
    ...(state && {
      state: { ...(state.in && { in: state.in }), ...(state.notIn && { notIn: state.notIn }) },
    }),
    ...(reason && {
      finalizationReason: {
        ...(reason.in && { in: reason.in }),
        ...(reason.notIn && { notIn: reason.notIn }),
      },
    }),
  }
}

// The port carries access items without their own id or creation time: an item is created with
// its grant and identified by its position in it.
type AccessView = AccessItem & { readonly id: string; readonly createdAt: Date }

const accessOf = (grant: GrantWithAccess): AccessView[] =>
  grant.access.map((item, position) => ({
    ...item,
    id: `${grant.id}:${position}`,
    createdAt: grant.createdAt,
  }))

export function makeGrantResolvers(deps: GrantResolverDeps) {
  return {
    Query: {
      grants: async (
        _: unknown,
        { filter, ...page }: PageArgs & { filter?: Maybe<FilterArgs> },
      ) => {
        const result = await deps.listGrants(toGrantFilter(filter), page)
        if (!result.ok) throw graphqlError(listErrors[result.error])
        return toConnection(result.value)
      },
      grant: async (_: unknown, args: { id: string }) => {
        const grant = await deps.getGrant(args.id)
        if (!grant) throw graphqlError(notFound)
        return grant
      },
    },
    Mutation: {
      revokeGrant: async (_: unknown, args: { input: { grantId: string } }) => {
        const { grantId } = args.input
        if (!grantId) throw graphqlError(noGrantId)
        const result = await deps.revokeGrantByAdmin(grantId)
        if (!result.ok) throw graphqlError(revokeErrors[result.error])
        return { id: result.value.id }
      },
    },
    Grant: {
      // A directed-identity client (Rafiki 2.x) has no wallet address: its key stands for it.
      client: (grant: Grant) =>
        'walletAddress' in grant.client
          ? grant.client.walletAddress
          : JSON.stringify(grant.client.jwk),
      access: accessOf,
      finalizationReason: (grant: Grant) => grant.finalizationReason ?? null,
      createdAt: (grant: Grant) => grant.createdAt.toISOString(),
    },
    Access: {
      identifier: (access: AccessView) => access.identifier ?? null,
      limits: (access: AccessView) => access.limits ?? null,
      createdAt: (access: AccessView) => access.createdAt.toISOString(),
    },
  }
}
