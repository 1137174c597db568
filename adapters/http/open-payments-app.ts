import { Hono } from 'hono'
import type { Logger } from '../../application/ports/logger.ts'
import { healthz, withJsonFallbacks } from './json-fallbacks.ts'
import {
  makeIncomingPaymentRoutes,
  type IncomingPaymentRoutesDeps,
} from './open-payments/incoming-payment-routes.ts'
import {
  makeOutgoingPaymentRoutes,
  type OutgoingPaymentRoutesDeps,
} from './open-payments/outgoing-payment-routes.ts'
import { makeQuoteRoutes, type QuoteRoutesDeps } from './open-payments/quote-routes.ts'
import {
  makeWalletAddressRoutes,
  type WalletAddressRoutesDeps,
} from './open-payments/wallet-address-routes.ts'

export type OpenPaymentsAppDeps = {
  readonly logger: Logger
  readonly walletAddressRoutes: WalletAddressRoutesDeps
  readonly incomingPaymentRoutes: IncomingPaymentRoutesDeps
  readonly quoteRoutes: QuoteRoutesDeps
  readonly outgoingPaymentRoutes: OutgoingPaymentRoutesDeps
}

/** The Open Payments resource server. */
export function makeOpenPaymentsApp(deps: OpenPaymentsAppDeps): Hono {
  const app = healthz(new Hono())
  app.route('/', makeIncomingPaymentRoutes(deps.incomingPaymentRoutes))
  app.route('/', makeQuoteRoutes(deps.quoteRoutes))
  app.route('/', makeOutgoingPaymentRoutes(deps.outgoingPaymentRoutes))
  // The catch-all goes last: any other path may be a wallet address.
  app.route('/', makeWalletAddressRoutes(deps.walletAddressRoutes))
  return withJsonFallbacks(app, deps.logger)
}
