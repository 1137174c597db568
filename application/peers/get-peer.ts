import type { Peer } from '../../domain/peers/peer.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { PeerRepository } from '../ports/peer-repository.ts'

export type GetPeer = (id: string) => Promise<Peer | undefined>

export const makeGetPeer =
  (deps: { readonly peers: PeerRepository }): GetPeer =>
  (id) =>
    isUuid(id) ? deps.peers.getById(id) : Promise.resolve(undefined)
