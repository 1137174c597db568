// A grant this node holds at another node's authorization server: the access token it presents
// when it reads or creates that node's incoming payments (Rafiki's `grants` table).
import type { AccessAction, AccessType } from '../open-payments/access.ts'

export type Grant = {
  readonly id: string
  /** The authorization server's grant URL (`authServer` of a wallet address or payment). */
  readonly authServer: string
  readonly accessType: AccessType
  readonly actions: readonly AccessAction[]
  readonly accessToken: string
  /** Where the token is rotated (`access_token.manage`). */
  readonly managementUrl: string
  /** null: the authorization server gave no `expires_in`. */
  readonly expiresAt: Date | null
}

/** Receivers read and create incoming payments, as Rafiki's remote incoming payment service. */
export const receiverGrantAccess = {
  type: 'incoming-payment',
  actions: ['create', 'read-all'],
} as const satisfies { type: AccessType; actions: readonly AccessAction[] }

// A token this close to its expiry may expire in flight: rotate it first.
export const grantExpiryMarginMs = 1_000

export const isGrantExpired = (grant: Grant, nowMs: number): boolean =>
  grant.expiresAt !== null && grant.expiresAt.getTime() <= nowMs + grantExpiryMarginMs

/** expires_in (seconds) of a token issued at `nowMs`, as an expiry date. */
export const expiryOf = (expiresInSeconds: number | null, nowMs: number): Date | null =>
  expiresInSeconds === null ? null : new Date(nowMs + expiresInSeconds * 1000)
