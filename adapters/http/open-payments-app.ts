import { Hono } from 'hono'
import type { Logger } from '../../application/ports/logger.ts'
import { healthz, withJsonFallbacks } from './json-fallbacks.ts'
import {
  makeWalletAddressRoutes,
  type WalletAddressRoutesDeps,
} from './open-payments/wallet-address-routes.ts'

export type OpenPaymentsAppDeps = {
  readonly logger: Logger
  readonly walletAddressRoutes: WalletAddressRoutesDeps
}

/** The Open Payments resource server. */
export function makeOpenPaymentsApp(deps: OpenPaymentsAppDeps): Hono {
  const app = healthz(new Hono())
  // Resource routes (incoming payments, quotes, outgoing payments) go before this catch-all:
  // any other path may be a wallet address.
  app.route('/', makeWalletAddressRoutes(deps.walletAddressRoutes))
  return withJsonFallbacks(app, deps.logger)
}
