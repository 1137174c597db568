import type { Asset } from '../../domain/assets/asset.ts'
import type { Peer } from '../../domain/peers/peer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { PeerRepository } from '../ports/peer-repository.ts'

export type PeerWithAsset = { readonly peer: Peer; readonly asset: Asset }

/** The peer and its asset; undefined when there is no such peer. */
export async function findPeerWithAsset(
  deps: { readonly peers: PeerRepository; readonly assets: AssetRepository },
  peerId: string,
): Promise<PeerWithAsset | undefined> {
  const peer = isUuid(peerId) ? await deps.peers.getById(peerId) : undefined
  if (!peer) return undefined
  const asset = await deps.assets.getById(peer.assetId)
  // An asset that peers use is never deleted.
  assert(asset, `peer ${peer.id}: asset ${peer.assetId} missing`)
  return { peer, asset }
}
