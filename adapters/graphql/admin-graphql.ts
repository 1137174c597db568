import type { Logger } from '../../application/ports/logger.ts'
import { makeAdminYoga } from './admin-yoga.ts'
import { makeAssetResolvers, type AssetResolverDeps } from './assets/asset-resolvers.ts'
import { assetTypeDefs } from './assets/asset-schema.ts'
import { amountTypeDefs } from './amount-schema.ts'
import { baseTypeDefs } from './base-schema.ts'
import { makeFeeResolvers, type FeeResolverDeps } from './fees/fee-resolvers.ts'
import { makeGrantResolvers, type GrantResolverDeps } from './grants/grant-resolvers.ts'
import { grantTypeDefs } from './grants/grant-schema.ts'
import { feeTypeDefs } from './fees/fee-schema.ts'
import {
  makeIncomingPaymentResolvers,
  type IncomingPaymentResolverDeps,
} from './incoming-payments/incoming-payment-resolvers.ts'
import { incomingPaymentTypeDefs } from './incoming-payments/incoming-payment-schema.ts'
import {
  makeLiquidityResolvers,
  type LiquidityResolverDeps,
} from './liquidity/liquidity-resolvers.ts'
import { liquidityTypeDefs } from './liquidity/liquidity-schema.ts'
import {
  makeOutgoingPaymentResolvers,
  type OutgoingPaymentResolverDeps,
} from './outgoing-payments/outgoing-payment-resolvers.ts'
import { outgoingPaymentTypeDefs } from './outgoing-payments/outgoing-payment-schema.ts'
import { makePaymentResolvers, type PaymentResolverDeps } from './payments/payment-resolvers.ts'
import { paymentTypeDefs } from './payments/payment-schema.ts'
import {
  makeAutoPeeringResolvers,
  type AutoPeeringResolverDeps,
} from './peers/auto-peering-resolvers.ts'
import { autoPeeringTypeDefs } from './peers/auto-peering-schema.ts'
import { makePeerResolvers, type PeerResolverDeps } from './peers/peer-resolvers.ts'
import { peerTypeDefs } from './peers/peer-schema.ts'
import { makeQuoteResolvers, type QuoteResolverDeps } from './quotes/quote-resolvers.ts'
import { quoteTypeDefs } from './quotes/quote-schema.ts'
import { makeReceiverResolvers, type ReceiverResolverDeps } from './receivers/receiver-resolvers.ts'
import { receiverTypeDefs } from './receivers/receiver-schema.ts'
import { JSONObject, UInt64, UInt8 } from './scalars.ts'
import { makeWebhookResolvers, type WebhookResolverDeps } from './webhooks/webhook-resolvers.ts'
import { webhookTypeDefs } from './webhooks/webhook-schema.ts'
import {
  makeWalletAddressResolvers,
  type WalletAddressResolverDeps,
} from './wallet-addresses/wallet-address-resolvers.ts'
import { walletAddressTypeDefs } from './wallet-addresses/wallet-address-schema.ts'

export type AdminGraphqlDeps = AssetResolverDeps &
  LiquidityResolverDeps &
  WebhookResolverDeps &
  WalletAddressResolverDeps &
  IncomingPaymentResolverDeps &
  PaymentResolverDeps &
  PeerResolverDeps &
  AutoPeeringResolverDeps &
  FeeResolverDeps &
  QuoteResolverDeps &
  ReceiverResolverDeps &
  OutgoingPaymentResolverDeps &
  GrantResolverDeps & {
    readonly logger: Logger
    readonly graphiql: boolean
  }

/** The admin API: one schema assembled from each feature's type definitions and resolvers. */
export function makeAdminGraphql(deps: AdminGraphqlDeps): {
  fetch(request: Request): Response | Promise<Response>
} {
  return makeAdminYoga({
    name: 'admin API',
    logger: deps.logger,
    graphiql: deps.graphiql,
    typeDefs: [
      baseTypeDefs,
      assetTypeDefs,
      liquidityTypeDefs,
      webhookTypeDefs,
      walletAddressTypeDefs,
      amountTypeDefs,
      incomingPaymentTypeDefs,
      paymentTypeDefs,
      peerTypeDefs,
      autoPeeringTypeDefs,
      feeTypeDefs,
      quoteTypeDefs,
      receiverTypeDefs,
      outgoingPaymentTypeDefs,
      grantTypeDefs,
    ],
    resolvers: [
      { UInt8, UInt64, JSONObject },
      makeAssetResolvers(deps),
      makeLiquidityResolvers(deps),
      makeWebhookResolvers(deps),
      makeWalletAddressResolvers(deps),
      makeIncomingPaymentResolvers(deps),
      makePaymentResolvers(deps),
      makePeerResolvers(deps),
      makeAutoPeeringResolvers(deps),
      makeFeeResolvers(deps),
      makeQuoteResolvers(deps),
      makeReceiverResolvers(deps),
      makeOutgoingPaymentResolvers(deps),
      makeGrantResolvers(deps),
    ],
  })
}
