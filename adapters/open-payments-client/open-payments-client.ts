// RemoteOpenPayments over @interledger/open-payments: this node as an Open Payments client,
// identified by WALLET_ADDRESS_URL and signing with its instance key (KEY_ID).
import type { KeyObject } from 'node:crypto'
import {
  createAuthenticatedClient,
  isPendingGrant,
  OpenPaymentsClientError,
  type AuthenticatedClient,
} from '@interledger/open-payments'
import type { Logger } from '../../application/ports/logger.ts'
import type {
  IssuedToken,
  RemoteError,
  RemoteOpenPayments,
} from '../../application/ports/remote-open-payments.ts'
import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { remoteReceiver } from './remote-receiver.ts'

export type OpenPaymentsClientOptions = {
  /** WALLET_ADDRESS_URL: the client other authorization servers know this node as. */
  readonly walletAddressUrl: string
  readonly keyId: string
  readonly privateKey: KeyObject
  /** Each HTTP request; past it the other node counts as unreachable. */
  readonly requestTimeoutMs: number
  readonly logger: Logger
}

/** The HTTP status of a refusal as a RemoteError (anything without one was no answer at all). */
export function remoteErrorOf(error: unknown): RemoteError {
  const status = error instanceof OpenPaymentsClientError ? error.status : undefined
  if (status === undefined) {
    // Replies that fail the OpenAPI validation are thrown without a status but with errors.
    return error instanceof OpenPaymentsClientError && error.validationErrors?.length
      ? 'refused'
      : 'unreachable'
  }
  if (status === 404) return 'not_found'
  if (status === 401 || status === 403) return 'unauthorized'
  return status >= 500 ? 'unreachable' : 'refused'
}

const amountJson = (amount: Amount) => ({
  value: amount.value.toString(),
  assetCode: amount.assetCode,
  assetScale: amount.assetScale,
})

export function makeOpenPaymentsClient(options: OpenPaymentsClientOptions): RemoteOpenPayments {
  const { logger } = options
  // Made on first use: it loads and compiles the OpenAPI documents, which costs boot time.
  let client: Promise<AuthenticatedClient> | undefined
  const getClient = () =>
    (client ??= createAuthenticatedClient({
      walletAddressUrl: options.walletAddressUrl,
      keyId: options.keyId,
      privateKey: options.privateKey,
      requestTimeoutMs: options.requestTimeoutMs,
      logLevel: 'silent',
    }).catch((error: unknown) => {
      client = undefined
      throw error
    }))
  const attempt = async <T>(
    what: string,
    fields: Record<string, unknown>,
    run: (client: AuthenticatedClient) => Promise<T>,
  ): Promise<Result<T, RemoteError>> => {
    try {
      return ok(await run(await getClient()))
    } catch (error) {
      const remoteError = remoteErrorOf(error)
      logger.warn({ ...fields, err: error, remoteError }, `${what} failed`)
      return err(remoteError)
    }
  }
  const asReceiver = (what: string, json: unknown) => {
    const receiver = remoteReceiver(json)
    if (receiver.ok) return receiver
    logger.warn({ problem: receiver.error }, `${what}: the incoming payment is invalid`)
    return err('refused' as const)
  }
  const issued = (token: {
    value: string
    manage: string
    expires_in?: number | undefined
  }): IssuedToken => ({
    accessToken: token.value,
    managementUrl: token.manage,
    expiresInSeconds: token.expires_in ?? null,
  })
  return {
    getPublicIncomingPayment: (url) =>
      attempt('public incoming payment', { url }, async (c) => {
        const { authServer } = await c.incomingPayment.getPublic({ url })
        return { authServer }
      }),
    getWalletAddress: (url) =>
      attempt('wallet address', { url }, async (c) => {
        const found = await c.walletAddress.get({ url })
        return {
          id: found.id,
          authServer: found.authServer,
          resourceServer: found.resourceServer,
          assetCode: found.assetCode,
          assetScale: found.assetScale,
        }
      }),
    async requestGrant(authServer, access) {
      const grant = await attempt('grant request', { authServer }, (c) =>
        c.grant.request(
          { url: authServer },
          {
            access_token: {
              access: [{ type: access.type, actions: [...access.actions] }],
            } as never,
          },
        ),
      )
      if (!grant.ok) return grant
      const { value } = grant
      if (isPendingGrant(value) || !value.access_token) {
        logger.warn({ authServer }, 'the authorization server wants interaction for receivers')
        return err('refused')
      }
      return ok(issued(value.access_token))
    },
    async rotateToken(managementUrl, accessToken) {
      const rotated = await attempt('token rotation', { managementUrl }, (c) =>
        c.token.rotate({ url: managementUrl, accessToken }),
      )
      return rotated.ok ? ok(issued(rotated.value.access_token)) : rotated
    },
    async getIncomingPayment(url, accessToken) {
      const read = await attempt('incoming payment read', { url }, (c) =>
        c.incomingPayment.get({ url, accessToken }),
      )
      return read.ok ? asReceiver('incoming payment read', read.value) : read
    },
    async createIncomingPayment(resourceServer, accessToken, input) {
      const created = await attempt('incoming payment creation', { resourceServer }, (c) =>
        c.incomingPayment.create(
          { url: resourceServer, accessToken },
          {
            walletAddress: input.walletAddress,
            ...(input.incomingAmount && { incomingAmount: amountJson(input.incomingAmount) }),
            ...(input.expiresAt && { expiresAt: input.expiresAt.toISOString() }),
            ...(input.metadata && { metadata: input.metadata }),
          },
        ),
      )
      return created.ok ? asReceiver('incoming payment creation', created.value) : created
    },
  }
}
