// Wiring of the Open Payments resource server: token introspection, client keys, signatures,
// the wallet address lookup that polls, and the hono app.
import { requestSignatureVerifier } from '../adapters/auth/http-signature.ts'
import { makeHttpTokenIntrospection } from '../adapters/auth/http-token-introspection.ts'
import { makeOpenPaymentsApp } from '../adapters/http/open-payments-app.ts'
import type { InstanceKey } from '../adapters/system/instance-key.ts'
import {
  makeAwaitWalletAddress,
  type AwaitWalletAddress,
} from '../application/open-payments/await-wallet-address.ts'
import {
  makeAuthorizeRequest,
  type AuthorizeRequest,
} from '../application/open-payments/authorize-request.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { ClientKeys } from '../application/ports/client-keys.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { TokenIntrospection } from '../application/ports/token-introspection.ts'
import { makeGetWalletAddressUrl } from '../application/wallet-addresses/get-wallet-address-url.ts'
import type { EmitWebhookEvent } from '../application/webhooks/emit-webhook-event.ts'
import { makeClientKeys, signatureMaxAgeSeconds } from './client-keys.ts'
import type { Config } from './config.ts'
import { connectorTokens } from './compose-connector.ts'
import { incomingPaymentTokens } from './compose-incoming-payments.ts'
import { outgoingPaymentTokens } from './compose-outgoing-payments.ts'
import { quoteTokens } from './compose-quotes.ts'
import type { FetchHandler } from './serve.ts'
import { token, type Factory, type Token } from './tokens.ts'
import { walletAddressTokens } from './compose-wallet-addresses.ts'

const introspectionTimeoutMs = 5_000

export const openPaymentsTokens = {
  tokenIntrospection: token<TokenIntrospection>('TokenIntrospection'),
  clientKeys: token<ClientKeys>('ClientKeys'),
  authorizeRequest: token<AuthorizeRequest>('AuthorizeRequest'),
  awaitWalletAddress: token<AwaitWalletAddress>('AwaitWalletAddress'),
} as const

export type OpenPaymentsBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly clock: Token<Clock>
  readonly cache: Token<Cache>
  readonly instanceKey: Token<InstanceKey>
  readonly emitWebhookEvent: Token<EmitWebhookEvent>
  readonly openPaymentsApp: Token<FetchHandler>
  /** The embedded authorization server's introspection, used when it is embedded. */
  readonly inProcessIntrospection: Token<TokenIntrospection>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function registerOpenPayments(factory: Factory, base: OpenPaymentsBaseTokens): void {
  const t = openPaymentsTokens
  factory(t.tokenIntrospection, (get) => {
    const config = get(base.config)
    if (config.authServer.embedded) return get(base.inProcessIntrospection)
    return makeHttpTokenIntrospection({
      url: config.AUTH_SERVER_INTROSPECTION_URL,
      timeoutMs: introspectionTimeoutMs,
    })
  })
  factory(t.clientKeys, (get) => makeClientKeys(get(base.cache), get(base.clock)))
  factory(t.authorizeRequest, (get) =>
    makeAuthorizeRequest({
      introspection: get(t.tokenIntrospection),
      clientKeys: get(t.clientKeys),
      signatures: requestSignatureVerifier,
      clock: get(base.clock),
      signatureMaxAgeSeconds,
    }),
  )
  factory(t.awaitWalletAddress, (get) => {
    const config = get(base.config)
    return makeAwaitWalletAddress({
      emitWebhookEvent: get(base.emitWebhookEvent),
      clock: get(base.clock),
      sleep,
      pollingFrequencyMs: config.WALLET_ADDRESS_POLLING_FREQUENCY_MS,
      lookupTimeoutMs: config.WALLET_ADDRESS_LOOKUP_TIMEOUT_MS,
    })
  })
  factory(base.openPaymentsApp, (get) => {
    const config = get(base.config)
    const urls = { trustProxy: config.TRUST_PROXY, allowHttp: !config.isProduction }
    const servers = {
      authServerUrl: config.AUTH_SERVER_GRANT_URL,
      resourceServerUrl: config.OPEN_PAYMENTS_URL,
    }
    const awaitWalletAddress = get(t.awaitWalletAddress)
    const getActiveWalletAddress = get(walletAddressTokens.getActiveWalletAddress)
    const { jwk } = get(base.instanceKey)
    const findWalletAddress = (url: string) =>
      awaitWalletAddress(url, () => getActiveWalletAddress(url))
    const getWalletAddressUrl = makeGetWalletAddressUrl({
      walletAddresses: get(walletAddressTokens.walletAddressRepository),
    })
    return makeOpenPaymentsApp({
      logger: get(base.logger),
      walletAddressRoutes: {
        ...urls,
        ...servers,
        getActiveWalletAddress,
        getWalletAddressJwks: get(walletAddressTokens.getWalletAddressJwks),
        spspEnabled: config.ENABLE_SPSP_PAYMENT_POINTERS,
        spspCredentials: (id, receipt) =>
          get(connectorTokens.streamReceiver).credentials({ kind: 'wallet-address', id }, receipt),
        redirectHtmlPage: config.WALLET_ADDRESS_REDIRECT_HTML_PAGE,
        awaitWalletAddress,
        pollOnGet: config.WALLET_ADDRESS_NOT_FOUND_POLLING_ENABLED,
        instanceJwks: { walletAddressUrl: config.WALLET_ADDRESS_URL, jwk },
      },
      incomingPaymentRoutes: {
        ...urls,
        ...servers,
        authorize: get(t.authorizeRequest),
        findWalletAddress,
        getWalletAddressUrl,
        createIncomingPayment: get(incomingPaymentTokens.createIncomingPayment),
        getIncomingPayment: get(incomingPaymentTokens.getIncomingPayment),
        listIncomingPayments: get(incomingPaymentTokens.listIncomingPayments),
        completeIncomingPayment: get(incomingPaymentTokens.completeIncomingPayment),
        streamCredentials: (id) =>
          get(connectorTokens.streamReceiver).credentials({ kind: 'incoming-payment', id }),
      },
      quoteRoutes: {
        ...urls,
        ...servers,
        authorize: get(t.authorizeRequest),
        findWalletAddress,
        getWalletAddressUrl,
        createQuote: get(quoteTokens.createQuote),
        getQuote: get(quoteTokens.getQuote),
      },
      outgoingPaymentRoutes: {
        ...urls,
        ...servers,
        authorize: get(t.authorizeRequest),
        findWalletAddress,
        getWalletAddressUrl,
        createOutgoingPayment: get(outgoingPaymentTokens.createOutgoingPayment),
        createOutgoingPaymentFromIncomingPayment: get(
          outgoingPaymentTokens.createOutgoingPaymentFromIncomingPayment,
        ),
        getOutgoingPayment: get(outgoingPaymentTokens.getOutgoingPayment),
        listOutgoingPayments: get(outgoingPaymentTokens.listOutgoingPayments),
        getGrantSpentAmounts: get(outgoingPaymentTokens.getGrantSpentAmounts),
      },
    })
  })
}
