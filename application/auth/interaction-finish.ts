// The end of the user interaction (GET /interact/{id}/{nonce}/finish, Rafiki auth
// interaction/routes.ts finishInteraction): once the user has answered, the browser goes back to
// the client's finish URI with `hash` and `interact_ref`, or `result=grant_rejected`. Unlike
// Rafiki, this is served exactly once and approves nothing (the answer already did): a replay
// is refused, so it can neither leak the ref again nor revive a grant.
import { finishHashInput, type InteractionState } from '../../domain/auth/interaction.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { Clock } from '../ports/clock.ts'
import { findLiveInteraction } from './interaction-lookup.ts'

export type FinishInteractionError =
  /** No interaction with this id and nonce, or its grant was revoked. */
  | 'unknown_interaction'
  /** The user has not answered yet. */
  | 'not_decided'
  /** The finish redirect was served already. */
  | 'already_finished'

export type FinishedInteraction =
  /** Send the browser to the client's finish URI. */
  | { readonly kind: 'redirect'; readonly decision: DecidedState; readonly url: string }
  /** The grant asked for no finish (Rafiki answers 202): the client polls the continue URI. */
  | { readonly kind: 'no_finish'; readonly decision: DecidedState }

type DecidedState = Exclude<InteractionState, 'PENDING'>

export type FinishInteraction = (
  id: string,
  nonce: string,
) => Promise<Result<FinishedInteraction, FinishInteractionError>>

export type FinishInteractionDeps = {
  readonly grants: AuthGrantRepository
  readonly clock: Clock
  /** AUTH_SERVER_URL, the last line of the finish hash. */
  readonly authServerUrl: string
  /** base64 SHA-256 (adapters/auth/gnap-finish-hash.ts): the digest is an adapter's job. */
  readonly finishHash: (input: string) => string
}

// No expiry check: the answer was given in time and this only hands it to the client (the
// browser's interaction cookie, which finishing needs, ends with the interaction anyway).
export const makeFinishInteraction =
  (deps: FinishInteractionDeps): FinishInteraction =>
  async (id, nonce) => {
    const found = await findLiveInteraction(deps.grants, id, nonce)
    if (!found) return err('unknown_interaction')
    const { interaction, grant } = found
    const decision = interaction.state
    if (decision === 'PENDING') return err('not_decided')
    if (interaction.finishedAt) return err('already_finished')
    // The check above is a fast path; this one is atomic (of concurrent finishes one wins).
    const first = await deps.grants.finishInteraction(id, new Date(deps.clock.now()))
    if (!first) return err('already_finished')
    const finish = grant.interact?.finish
    if (!finish) return ok({ kind: 'no_finish', decision })
    const url = new URL(finish.uri)
    if (decision === 'DENIED') {
      url.searchParams.set('result', 'grant_rejected')
    } else {
      const input = finishHashInput(grant, interaction, deps.authServerUrl)
      assert(input !== undefined, 'a grant with a finish has a finish hash input')
      url.searchParams.set('hash', deps.finishHash(input))
      url.searchParams.set('interact_ref', interaction.ref)
    }
    return ok({ kind: 'redirect', decision, url: url.toString() })
  }
