// The start of the user interaction (GET /interact/{id}/{nonce}, Rafiki auth interaction/routes.ts
// startInteraction): the browser the client sent us is passed on to the identity provider with
// the interaction's id and nonce and who the client is.
import { isInteractionExpired, type Interaction } from '../../domain/auth/interaction.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { ClientNames } from '../ports/client-names.ts'
import type { Clock } from '../ports/clock.ts'
import { describeClient, findLiveInteraction } from './interaction-lookup.ts'

export type StartInteractionError =
  /** No interaction with this id and nonce, or its grant was revoked. */
  | 'unknown_interaction'
  /** INTERACTION_EXPIRY_SECONDS have passed since the grant request. */
  | 'expired'
  /** The user already accepted or rejected. */
  | 'not_pending'

export type StartedInteraction = {
  readonly interaction: Interaction
  /** IDENTITY_SERVER_URL with interactId, nonce, clientName and clientUri. */
  readonly redirectUrl: string
}

export type StartInteraction = (
  id: string,
  nonce: string,
) => Promise<Result<StartedInteraction, StartInteractionError>>

export type StartInteractionDeps = {
  readonly grants: AuthGrantRepository
  readonly clock: Clock
  /** IDENTITY_SERVER_URL; its own query parameters are kept. */
  readonly identityServerUrl: string
  /** Without it the client is named by its wallet address URL. */
  readonly clientNames?: ClientNames
}

export const makeStartInteraction =
  (deps: StartInteractionDeps): StartInteraction =>
  async (id, nonce) => {
    const found = await findLiveInteraction(deps.grants, id, nonce)
    if (!found) return err('unknown_interaction')
    const { interaction, grant } = found
    if (interaction.state !== 'PENDING') return err('not_pending')
    if (isInteractionExpired(interaction, deps.clock.now())) return err('expired')
    const client = await describeClient(grant.client, deps.clientNames)
    const url = new URL(deps.identityServerUrl)
    url.searchParams.set('interactId', interaction.id)
    url.searchParams.set('nonce', interaction.nonce)
    url.searchParams.set('clientName', client.name)
    url.searchParams.set('clientUri', client.uri)
    return ok({ interaction, redirectUrl: url.toString() })
  }
