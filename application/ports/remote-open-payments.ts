import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import type { AccessAction, AccessType } from '../../domain/open-payments/access.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'

/**
 * How another node answered: `not_found` (404), `unauthorized` (401 or 403: the token is
 * refused), `refused` (any other 4xx, or a reply that breaks the spec), `unreachable` (no reply,
 * a timeout or a 5xx).
 */
export type RemoteError = 'not_found' | 'unauthorized' | 'refused' | 'unreachable'

export type IssuedToken = {
  readonly accessToken: string
  readonly managementUrl: string
  readonly expiresInSeconds: number | null
}

export type RemoteWalletAddress = {
  readonly id: string
  readonly authServer: string
  readonly resourceServer: string
  readonly assetCode: string
  readonly assetScale: number
}

export type RemoteIncomingPaymentInput = {
  readonly walletAddress: string
  readonly incomingAmount?: Amount | undefined
  readonly expiresAt?: Date | undefined
  readonly metadata?: JsonObject | undefined
}

/**
 * The Open Payments API of other nodes, called as this node's client (WALLET_ADDRESS_URL,
 * signing with KEY_ID). Incoming payments come back as receivers (localIncomingPaymentId null).
 */
export interface RemoteOpenPayments {
  /** The public view of an incoming payment: where its authorization server is. */
  getPublicIncomingPayment(url: string): Promise<Result<{ authServer: string }, RemoteError>>
  getWalletAddress(url: string): Promise<Result<RemoteWalletAddress, RemoteError>>
  /** A non-interactive grant; `refused` when the server wants interaction. */
  requestGrant(
    authServer: string,
    access: { readonly type: AccessType; readonly actions: readonly AccessAction[] },
  ): Promise<Result<IssuedToken, RemoteError>>
  rotateToken(managementUrl: string, accessToken: string): Promise<Result<IssuedToken, RemoteError>>
  getIncomingPayment(url: string, accessToken: string): Promise<Result<Receiver, RemoteError>>
  createIncomingPayment(
    resourceServer: string,
    accessToken: string,
    input: RemoteIncomingPaymentInput,
  ): Promise<Result<Receiver, RemoteError>>
}
