// Introspection (Rafiki auth accessToken/routes.ts introspect): the resource server asks whether a
// token is active and, when it names the access it needs, whether the token covers all of it.
import {
  coversRequestedAccess,
  isTokenActive,
  type RequestedAccess,
} from '../../domain/auth/access-token.ts'
import type { GrantClient } from '../../domain/auth/grant.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { Clock } from '../ports/clock.ts'

export type IntrospectTokenRequest = {
  readonly accessToken: string
  /** When given, the token is active only if its grant covers every item. */
  readonly access?: readonly RequestedAccess[]
}

/** Unknown, expired, revoked, of a grant that is not live, or not covering: all just inactive. */
export type Introspection =
  | { readonly active: false }
  | {
      readonly active: true
      /** Grant id. */
      readonly grant: string
      /** The HTTP layer writes a wallet address client as its URL. */
      readonly client: GrantClient
      /** All of the grant's items, with their limits. */
      readonly access: readonly AccessItem[]
    }

export type IntrospectToken = (request: IntrospectTokenRequest) => Promise<Introspection>

const inactive: Introspection = { active: false }

export const makeIntrospectToken =
  (deps: { readonly grants: AuthGrantRepository; readonly clock: Clock }): IntrospectToken =>
  async ({ accessToken, access }) => {
    const found = await deps.grants.findTokenByValue(accessToken)
    if (!found) return inactive
    const { token, grant } = found
    if (!isTokenActive(token, grant, deps.clock.now())) return inactive
    if (access !== undefined && !coversRequestedAccess(grant.access, access)) return inactive
    return { active: true, grant: grant.id, client: grant.client, access: grant.access }
  }
