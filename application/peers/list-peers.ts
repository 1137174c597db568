import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import type { Peer } from '../../domain/peers/peer.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import type { PeerRepository } from '../ports/peer-repository.ts'

export type ListPeers = (args: PageArgs) => Promise<Result<Page<Peer>, PageError>>

export const makeListPeers =
  (deps: { readonly peers: PeerRepository }): ListPeers =>
  async (args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    const page = await deps.peers.list(request.value)
    return page.ok ? page : err('invalid_cursor')
  }
