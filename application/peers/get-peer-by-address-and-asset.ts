import type { Peer } from '../../domain/peers/peer.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { PeerRepository } from '../ports/peer-repository.ts'

export type GetPeerByAddressAndAsset = (
  staticIlpAddress: string,
  assetId: string,
) => Promise<Peer | undefined>

export const makeGetPeerByAddressAndAsset =
  (deps: { readonly peers: PeerRepository }): GetPeerByAddressAndAsset =>
  (staticIlpAddress, assetId) =>
    isUuid(assetId)
      ? deps.peers.getByAddressAndAsset(staticIlpAddress, assetId)
      : Promise.resolve(undefined)
