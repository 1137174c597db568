import type { Peer } from '../../domain/peers/peer.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { GetLiquidity } from '../liquidity/get-liquidity.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { EmitWebhookEvent } from '../webhooks/emit-webhook-event.ts'

/** Run after a debit of a peer's liquidity account (an operator's withdrawal, a packet). */
export type CheckPeerLiquidity = (peer: Peer) => Promise<void>

export type CheckPeerLiquidityDeps = {
  readonly assets: AssetRepository
  readonly getLiquidity: GetLiquidity
  readonly emit: EmitWebhookEvent
}

/**
 * When the peer's liquidity is at or below its liquidityThreshold, the ASE hears of it
 * (`peer.liquidity_low`, as Rafiki's Peer.onDebit sends it after every such debit).
 */
export const makeCheckPeerLiquidity =
  (deps: CheckPeerLiquidityDeps): CheckPeerLiquidity =>
  async (peer) => {
    if (peer.liquidityThreshold === null) return
    const balance = await deps.getLiquidity(peer.id)
    if (balance === undefined || balance > peer.liquidityThreshold) return
    const asset = await deps.assets.getById(peer.assetId)
    assert(asset, `peer ${peer.id}: asset ${peer.assetId} missing`)
    await deps.emit({
      type: 'peer.liquidity_low',
      data: {
        id: peer.id,
        asset: { id: asset.id, code: asset.code, scale: asset.scale },
        liquidityThreshold: peer.liquidityThreshold.toString(),
        balance: balance.toString(),
      },
    })
  }
