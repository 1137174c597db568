// A grant of the embedded GNAP authorization server (Rafiki auth v1.2 `grants`): its states and
// finalization reasons, and the transitions between them as pure functions.
import type { AccessItem } from '../open-payments/access.ts'
import type { Jwk } from '../open-payments/jwk.ts'
import { err, ok, type Result } from '../shared/result.ts'

export const grantStates = ['PENDING', 'PROCESSING', 'APPROVED', 'FINALIZED'] as const
export type GrantState = (typeof grantStates)[number]

export const finalizationReasons = ['ISSUED', 'REJECTED', 'REVOKED'] as const
export type FinalizationReason = (typeof finalizationReasons)[number]

/** The client a grant is issued to: a wallet address (its keys at jwks.json) or a bare key. */
export type GrantClient =
  | { readonly walletAddress: string }
  /** Rafiki 2.x "directed identity". */
  | { readonly jwk: Jwk }

/** GNAP `interact.finish`: where the browser is sent back once the user has decided. */
export type InteractFinish = {
  readonly method: 'redirect'
  readonly uri: string
  /** The client's nonce, the first line of the finish hash. */
  readonly nonce: string
}

export type GrantInteract = {
  readonly start: readonly 'redirect'[]
  readonly finish?: InteractFinish
}

export type Grant = {
  readonly id: string
  readonly state: GrantState
  /** Set exactly when state is FINALIZED. */
  readonly finalizationReason?: FinalizationReason
  readonly client: GrantClient
  /** Path segment of the continue URI. */
  readonly continueId: string
  /** Presented as `Authorization: GNAP <continueToken>` on continuation. */
  readonly continueToken: string
  readonly interact?: GrantInteract
  /** Seconds a client must wait between continuation polls (WAIT_SECONDS). */
  readonly waitSeconds: number
  /** The last continuation (or the creation); `too_fast` is measured from it. */
  readonly lastContinuedAt: Date
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type GrantWithAccess = Grant & { readonly access: readonly AccessItem[] }

export type TransitionError = 'invalid_transition'

/** The fields a transition changes. */
export type GrantStateChange = {
  readonly state: GrantState
  readonly finalizationReason?: FinalizationReason
}

const awaitingDecision = (grant: Grant) => grant.state === 'PENDING' || grant.state === 'PROCESSING'

/** The user (through the identity provider) accepted: PENDING or PROCESSING -> APPROVED. */
export function approveGrant(grant: Grant): Result<GrantStateChange, TransitionError> {
  return awaitingDecision(grant) ? ok({ state: 'APPROVED' }) : err('invalid_transition')
}

/** The user rejected: PENDING or PROCESSING -> FINALIZED (REJECTED). */
export function rejectGrant(grant: Grant): Result<GrantStateChange, TransitionError> {
  return awaitingDecision(grant)
    ? ok({ state: 'FINALIZED', finalizationReason: 'REJECTED' })
    : err('invalid_transition')
}

/** Tokens were issued after an approval: APPROVED -> FINALIZED (ISSUED). */
export function finalizeGrant(grant: Grant): Result<GrantStateChange, TransitionError> {
  return grant.state === 'APPROVED'
    ? ok({ state: 'FINALIZED', finalizationReason: 'ISSUED' })
    : err('invalid_transition')
}

/** Revocation by the client or an admin; a rejected or revoked grant cannot be revoked again. */
export function revokeGrant(grant: Grant): Result<GrantStateChange, TransitionError> {
  if (grant.state === 'FINALIZED' && grant.finalizationReason !== 'ISSUED') {
    return err('invalid_transition')
  }
  return ok({ state: 'FINALIZED', finalizationReason: 'REVOKED' })
}

/** Whether tokens of this grant may still be used (introspection and rotation). */
export function isGrantLive(grant: Grant): boolean {
  return (
    grant.state === 'APPROVED' ||
    (grant.state === 'FINALIZED' && grant.finalizationReason === 'ISSUED')
  )
}
