import type { Asset } from '../../domain/assets/asset.ts'
import type { EmitWebhookEvent } from '../webhooks/emit-webhook-event.ts'
import type { GetLiquidity } from './get-liquidity.ts'

/**
 * After a debit: when the asset's liquidity is at or below its liquidityThreshold, the ASE hears
 * of it (`asset.liquidity_low`, as Rafiki sends it after every such debit).
 */
export const makeCheckAssetLiquidity =
  (deps: { readonly getLiquidity: GetLiquidity; readonly emit: EmitWebhookEvent }) =>
  async (asset: Asset): Promise<void> => {
    if (asset.liquidityThreshold === null) return
    const balance = await deps.getLiquidity(asset.id)
    if (balance === undefined || balance > asset.liquidityThreshold) return
    await deps.emit({
      type: 'asset.liquidity_low',
      data: {
        id: asset.id,
        asset: { id: asset.id, code: asset.code, scale: asset.scale },
        liquidityThreshold: asset.liquidityThreshold.toString(),
        balance: balance.toString(),
      },
    })
  }
