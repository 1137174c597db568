// The user interaction of an interactive grant: its nonce (in the redirect URL), its ref (given
// to the client after the user decided) and its expiry; and the input of the finish hash.
import type { Grant } from './grant.ts'

export const interactionStates = ['PENDING', 'APPROVED', 'DENIED'] as const
export type InteractionState = (typeof interactionStates)[number]

export type Interaction = {
  readonly id: string
  readonly grantId: string
  /** Our nonce: part of the interact URL and the second line of the finish hash. */
  readonly nonce: string
  /** The interact_ref handed to the client on finish; continuation must present it. */
  readonly ref: string
  readonly state: InteractionState
  /** INTERACTION_EXPIRY_SECONDS after creation. */
  readonly expiresInSeconds: number
  readonly createdAt: Date
  /** Set once the finish redirect has been served, so it cannot be replayed. */
  readonly finishedAt?: Date
}

export const interactionExpiresAtMs = (interaction: Interaction): number =>
  interaction.createdAt.getTime() + interaction.expiresInSeconds * 1000

export const isInteractionExpired = (interaction: Interaction, nowMs: number): boolean =>
  nowMs >= interactionExpiresAtMs(interaction)

/**
 * What the finish `hash` is the base64 SHA-256 of (Rafiki auth interaction/routes.ts:
 * `${clientNonce}\n${interactNonce}\n${interactRef}\n${authServerUrl}/`). Undefined when the
 * grant asked for no finish. The digest is computed by an adapter: the domain has no crypto.
 */
export function finishHashInput(
  grant: Grant,
  interaction: Interaction,
  authServerUrl: string,
): string | undefined {
  const finish = grant.interact?.finish
  if (!finish) return undefined
  const base = authServerUrl.replace(/\/+$/, '')
  return `${finish.nonce}\n${interaction.nonce}\n${interaction.ref}\n${base}/`
}
