import type { AccessToken } from '../../domain/auth/access-token.ts'
import type {
  FinalizationReason,
  Grant,
  GrantState,
  GrantWithAccess,
} from '../../domain/auth/grant.ts'
import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Interaction } from '../../domain/auth/interaction.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import type { Result } from '../../domain/shared/result.ts'

/** A grant as its request made it, already validated; written with everything it comes with. */
export type NewAuthGrant = {
  readonly grant: Grant
  readonly access: readonly AccessItem[]
  /** A non-interactive grant is issued at once. */
  readonly token?: AccessToken
  /** An interactive grant waits for the user. */
  readonly interaction?: Interaction
}

export type TokenWithGrant = {
  readonly token: AccessToken
  readonly grant: GrantWithAccess
}

export type ContinuableGrant = {
  readonly grant: GrantWithAccess
  /** The grant's latest interaction, when it is interactive. */
  readonly interaction?: Interaction
}

/** A new token for a rotation: value, management id and lifetime; the grant is the old one's. */
export type ReplacementToken = Omit<AccessToken, 'grantId' | 'revokedAt'>

export type RotateTokenError = 'unknown_token' | 'token_revoked' | 'grant_not_live'

export type RevokeGrantError = 'unknown_grant' | 'invalid_transition'

export type IssueTokenError = 'unknown_grant' | 'invalid_transition'

export type InteractionWithGrant = {
  readonly interaction: Interaction
  readonly grant: GrantWithAccess
}

export type DecideInteractionError =
  'unknown_interaction' | 'already_decided' | 'invalid_transition'

/** The admin API's `grants(filter)` (Rafiki auth GrantFilter); absent parts do not filter. */
export type GrantFilter = {
  /** Grants with an access item bound to one of these wallet addresses. */
  readonly identifier?: { readonly in?: readonly string[] }
  readonly state?: { readonly in?: readonly GrantState[]; readonly notIn?: readonly GrantState[] }
  /** notIn keeps grants that have no reason yet (not finalized). */
  readonly finalizationReason?: {
    readonly in?: readonly FinalizationReason[]
    readonly notIn?: readonly FinalizationReason[]
  }
}

// The embedded authorization server's storage (auth_grants, auth_access, auth_access_tokens,
// auth_interactions). Every method that writes several rows does so in one transaction.
export interface AuthGrantRepository {
  /** Inserts the grant, its access items and its token or interaction together. */
  create(input: NewAuthGrant): Promise<GrantWithAccess>
  findById(id: string): Promise<GrantWithAccess | undefined>
  /** Grants in (createdAt, id) order; unknown_cursor when the cursor is not one of them. */
  list(
    filter: GrantFilter,
    request: PageRequest,
  ): Promise<Result<Page<GrantWithAccess>, 'unknown_cursor'>>
  findByContinueId(continueId: string): Promise<ContinuableGrant | undefined>
  /** The token with this bearer value, revoked or expired ones included, and its grant. */
  findTokenByValue(value: string): Promise<TokenWithGrant | undefined>
  findTokenByManagementId(managementId: string): Promise<TokenWithGrant | undefined>
  /**
   * Replaces the live (unrevoked) token with this management id by `replacement` and revokes it,
   * atomically: of concurrent rotations of one token exactly one succeeds. Refused when the grant
   * is no longer live (revoked or rejected).
   */
  rotateToken(
    managementId: string,
    replacement: ReplacementToken,
    at: Date,
  ): Promise<Result<AccessToken, RotateTokenError>>
  /**
   * Finalizes an APPROVED grant as ISSUED and stores its token, in one transaction; of
   * concurrent continuations exactly one issues (the others get invalid_transition).
   */
  issueToken(token: AccessToken, at: Date): Promise<Result<AccessToken, IssueTokenError>>
  /**
   * Records a continuation poll: sets lastContinuedAt to `at` only if it is still `seen`, so of
   * concurrent polls that passed the too_fast check one wins; false for the others.
   */
  recordContinuation(grantId: string, seen: Date, at: Date): Promise<boolean>
  findInteraction(id: string, nonce: string): Promise<InteractionWithGrant | undefined>
  /**
   * The user's decision: a PENDING interaction becomes APPROVED or DENIED and its grant APPROVED
   * or FINALIZED (REJECTED), together, under the grant's row lock.
   */
  decideInteraction(
    id: string,
    decision: 'APPROVED' | 'DENIED',
    at: Date,
  ): Promise<Result<GrantWithAccess, DecideInteractionError>>
  /** Marks a decided interaction's finish redirect as served; false when it was already. */
  finishInteraction(id: string, at: Date): Promise<boolean>
  /** Marks the token revoked; false when it is unknown or was revoked already. */
  revokeToken(managementId: string, at: Date): Promise<boolean>
  /** Finalizes the grant as REVOKED and revokes all its tokens, in one transaction. */
  revokeGrant(grantId: string, at: Date): Promise<Result<Grant, RevokeGrantError>>
  /**
   * Deletes up to `limit` tokens that expired or were revoked before `cutoff`
   * (now - ACCESS_TOKEN_DELETION_DAYS); returns how many it deleted.
   */
  deleteTokensDeadBefore(cutoff: Date, limit: number): Promise<number>
}
