// GNAP continuation (POST /continue/{continueId}, Rafiki auth grant/routes.ts continueGrant): the
// client presents the grant's continue token, polling or with the interact_ref it got on the
// finish redirect, and gets the access token once the user approved.
import { decideContinuation, type ContinueError } from '../../domain/auth/continuation.ts'
import type { Grant, GrantWithAccess } from '../../domain/auth/grant.ts'
import { isInteractionExpired } from '../../domain/auth/interaction.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { AuthSecrets } from '../ports/auth-secrets.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import {
  accessTokenResponse,
  continueResponse,
  newAccessToken,
  secretsEqual,
  type AccessTokenResponse,
  type ContinueResponse,
} from './token-response.ts'

export type ContinueGrantRequest = {
  readonly continueId: string
  /** From `Authorization: GNAP <token>`. */
  readonly continueToken: string
  /** The body's interact_ref, when the client continues after the finish redirect. */
  readonly interactRef?: string
}

export type ContinueGrantError =
  /** No grant with this continue id, or the token is not its continue token. */
  'unknown_continuation' | ContinueError

/** GNAP code and HTTP status of each refusal (Rafiki's, where it has one). */
export const continueGrantErrorReply = {
  unknown_continuation: { status: 401, code: 'invalid_continuation' },
  invalid_continuation: { status: 404, code: 'invalid_continuation' },
  too_fast: { status: 400, code: 'too_fast' },
  user_denied: { status: 401, code: 'user_denied' },
  request_denied: { status: 401, code: 'request_denied' },
} as const satisfies Record<ContinueGrantError, { status: 400 | 401 | 404; code: string }>

export type ContinueGrantOutcome =
  | {
      readonly kind: 'issued'
      readonly grant: Grant
      readonly response: {
        readonly access_token: AccessTokenResponse
        readonly continue: ContinueResponse
      }
    }
  /** The user has not decided yet: continue again after `wait`. */
  | { readonly kind: 'pending'; readonly response: { readonly continue: ContinueResponse } }

export type ContinueGrant = (
  request: ContinueGrantRequest,
) => Promise<Result<ContinueGrantOutcome, ContinueGrantError>>

export type ContinueGrantDeps = {
  readonly grants: AuthGrantRepository
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly secrets: AuthSecrets
  readonly config: {
    readonly authServerUrl: string
    readonly accessTokenExpirySeconds: number
  }
}

export const makeContinueGrant =
  (deps: ContinueGrantDeps): ContinueGrant =>
  async (request) => {
    const found = await deps.grants.findByContinueId(request.continueId)
    // Constant time first: the domain's compare below is a plain one.
    if (!found || !secretsEqual(request.continueToken, found.grant.continueToken)) {
      return err('unknown_continuation')
    }
    const { grant, interaction } = found
    const nowMs = deps.clock.now()
    const decided = decideContinuation(grant, request, interaction?.ref, nowMs)
    if (!decided.ok) return decided
    const polling = request.interactRef === undefined
    // Rafiki: a client that asked for the finish redirect must continue with its interact_ref.
    if (polling && grant.interact?.finish !== undefined) return err('request_denied')
    const at = new Date(nowMs)
    // Of concurrent polls that passed the too_fast check, one is recorded; the others were fast.
    if (polling && !(await deps.grants.recordContinuation(grant.id, grant.lastContinuedAt, at))) {
      return err('too_fast')
    }
    if (decided.value === 'pending') {
      // The user can no longer decide once the interaction expired.
      if (interaction && isInteractionExpired(interaction, nowMs)) return err('request_denied')
      const { authServerUrl } = deps.config
      return ok({
        kind: 'pending',
        response: { continue: continueResponse(authServerUrl, grant, grant.waitSeconds) },
      })
    }
    return issue(deps, grant, at)
  }

async function issue(
  deps: ContinueGrantDeps,
  grant: GrantWithAccess,
  at: Date,
): Promise<Result<ContinueGrantOutcome, ContinueGrantError>> {
  const token = newAccessToken(deps, grant.id, at)
  // Finalizes APPROVED -> ISSUED with the token; a concurrent continuation that issued first wins.
  const issued = await deps.grants.issueToken(token, at)
  if (!issued.ok) return err('invalid_continuation')
  const { authServerUrl } = deps.config
  const { access, ...rest } = grant
  return ok({
    kind: 'issued',
    grant: { ...rest, state: 'FINALIZED', finalizationReason: 'ISSUED', updatedAt: at },
    response: {
      access_token: accessTokenResponse(authServerUrl, issued.value, access),
      continue: continueResponse(authServerUrl, grant),
    },
  })
}
