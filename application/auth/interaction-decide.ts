// The user's answer, relayed by the identity provider (POST /grant/{id}/{nonce}/accept|reject,
// Rafiki auth interaction/routes.ts handleInteractionChoice) or given on the built-in consent
// page. One answer per interaction: the repository decides under the grant's lock.
import { isInteractionExpired, type InteractionState } from '../../domain/auth/interaction.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { Clock } from '../ports/clock.ts'
import { findLiveInteraction } from './interaction-lookup.ts'

export type InteractionChoice = 'accept' | 'reject'

export type ChooseInteractionError =
  /** No interaction with this id and nonce, or its grant was revoked. */
  | 'unknown_interaction'
  /** The grant was rejected already (Rafiki: 401 user_denied). */
  | 'user_denied'
  /** The interaction was accepted or rejected before (Rafiki: 400 invalid_interaction). */
  | 'already_decided'
  | 'expired'

export type ChooseInteraction = (
  id: string,
  nonce: string,
  choice: InteractionChoice,
) => Promise<Result<InteractionState, ChooseInteractionError>>

export const makeChooseInteraction =
  (deps: { readonly grants: AuthGrantRepository; readonly clock: Clock }): ChooseInteraction =>
  async (id, nonce, choice) => {
    const found = await findLiveInteraction(deps.grants, id, nonce)
    if (!found) return err('unknown_interaction')
    const { interaction, grant } = found
    if (grant.state === 'FINALIZED') return err('user_denied')
    if (interaction.state !== 'PENDING') return err('already_decided')
    const now = deps.clock.now()
    if (isInteractionExpired(interaction, now)) return err('expired')
    const decision = choice === 'accept' ? 'APPROVED' : 'DENIED'
    const decided = await deps.grants.decideInteraction(id, decision, new Date(now))
    if (decided.ok) return ok(decision)
    // Lost a race: another answer, or a revocation, came between the read and the lock.
    switch (decided.error) {
      case 'unknown_interaction':
        return err('unknown_interaction')
      case 'already_decided':
        return err('already_decided')
      case 'invalid_transition':
        return err('user_denied')
    }
  }
