import type { AssetOf } from '../incoming-payments/incoming-payment.ts'
import type { JsonObject } from '../webhooks/webhook-event.ts'
import type { WalletAddress } from './wallet-address.ts'

/**
 * The data of `wallet_address.web_monetization` (Rafiki's WalletAddress.toData): the wallet
 * address and the web-monetization money received since its previous event.
 */
export function webMonetizationEventData(
  walletAddress: WalletAddress,
  asset: AssetOf,
  received: bigint,
): JsonObject {
  return {
    walletAddress: {
      id: walletAddress.id,
      createdAt: walletAddress.createdAt.toISOString(),
      receivedAmount: {
        value: received.toString(),
        assetCode: asset.code,
        assetScale: asset.scale,
      },
    },
  }
}
