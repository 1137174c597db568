// What the identity provider shows the user (GET /grant/{id}/{nonce} on INTERACTION_PORT, Rafiki
// auth interaction/routes.ts getGrantDetails): the access asked for and the interaction's state,
// plus who asks, which Rafiki leaves to the IdP's query parameters.
import {
  interactionExpiresAtMs,
  isInteractionExpired,
  type InteractionState,
} from '../../domain/auth/interaction.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { ClientNames } from '../ports/client-names.ts'
import type { Clock } from '../ports/clock.ts'
import {
  describeClient,
  findLiveInteraction,
  type ClientDescription,
} from './interaction-lookup.ts'

export type InteractionDetails = {
  readonly interactionId: string
  readonly grantId: string
  readonly state: InteractionState
  readonly client: ClientDescription
  readonly access: readonly AccessItem[]
  readonly expiresAt: Date
}

export type GetInteractionDetailsError =
  /** No interaction with this id and nonce, or its grant was revoked. */
  | 'unknown_interaction'
  /** Still undecided but past its expiry: nothing can be done with it any more. */
  | 'expired'

export type GetInteractionDetails = (
  id: string,
  nonce: string,
) => Promise<Result<InteractionDetails, GetInteractionDetailsError>>

export type GetInteractionDetailsDeps = {
  readonly grants: AuthGrantRepository
  readonly clock: Clock
  readonly clientNames?: ClientNames
}

export const makeGetInteractionDetails =
  (deps: GetInteractionDetailsDeps): GetInteractionDetails =>
  async (id, nonce) => {
    const found = await findLiveInteraction(deps.grants, id, nonce)
    if (!found) return err('unknown_interaction')
    const { interaction, grant } = found
    if (interaction.state === 'PENDING' && isInteractionExpired(interaction, deps.clock.now())) {
      return err('expired')
    }
    return ok({
      interactionId: interaction.id,
      grantId: grant.id,
      state: interaction.state,
      client: await describeClient(grant.client, deps.clientNames),
      access: grant.access,
      expiresAt: new Date(interactionExpiresAtMs(interaction)),
    })
  }
