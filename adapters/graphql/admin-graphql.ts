import { GraphQLError } from 'graphql'
import { createSchema, createYoga } from 'graphql-yoga'
import type { Logger } from '../../application/ports/logger.ts'
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

// Duck-typed rather than instanceof: a runtime may load two copies of graphql (ESM and CJS).
const isGraphqlError = (error: unknown): error is GraphQLError =>
  error instanceof Error && error.name === 'GraphQLError'

const hasCode = (error: unknown): error is GraphQLError =>
  isGraphqlError(error) && typeof error.extensions?.['code'] === 'string'

/** The admin API: one schema assembled from each feature's type definitions and resolvers. */
export function makeAdminGraphql(deps: AdminGraphqlDeps): {
  fetch(request: Request): Response | Promise<Response>
} {
  const schema = createSchema({
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
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.graphiql,
    landingPage: false,
    logging: false,
    maskedErrors: {
      maskError(error): Error {
        const original = isGraphqlError(error) ? error.originalError : undefined
        if (hasCode(original)) return original
        if (hasCode(error)) return error
        // Parse and validation errors carry no original error: they are the client's.
        if (isGraphqlError(error) && original == null) return error
        // Input coercion (an unknown enum value, a string for an Int) wraps a GraphQLError.
        if (isGraphqlError(error) && isGraphqlError(original)) return error
        deps.logger.error({ err: original ?? error }, 'unexpected error in admin API')
        return new GraphQLError('Internal server error', {
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        })
      },
    },
  })
}
