import type { Peer } from '../../domain/peers/peer.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type { PeerRepository } from '../../application/ports/peer-repository.ts'
import { pageOf } from './memory-page.ts'

const addressKey = (staticIlpAddress: string, assetId: string) => `${assetId} ${staticIlpAddress}`

const sorted = (tokens: readonly string[]): readonly string[] =>
  [...tokens].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** In-process PeerRepository for unit tests; same rules as the SQL one. */
export function makeMemoryPeerRepository(): PeerRepository {
  const rows = new Map<string, Peer>()
  const byToken = new Map<string, string>()
  const byAddress = new Map<string, string>()
  const tokensFree = (tokens: readonly string[], ownerId?: string) =>
    new Set(tokens).size === tokens.length &&
    tokens.every((token) => [undefined, ownerId].includes(byToken.get(token)))
  const forget = (peer: Peer) => {
    for (const token of peer.incomingTokens) byToken.delete(token)
    byAddress.delete(addressKey(peer.staticIlpAddress, peer.assetId))
  }
  const remember = (peer: Peer) => {
    for (const token of peer.incomingTokens) byToken.set(token, peer.id)
    byAddress.set(addressKey(peer.staticIlpAddress, peer.assetId), peer.id)
    rows.set(peer.id, peer)
  }
  return {
    async create(input) {
      if (byAddress.has(addressKey(input.staticIlpAddress, input.assetId))) {
        return err('duplicate_peer')
      }
      if (!tokensFree(input.incomingTokens)) return err('duplicate_incoming_token')
      const peer: Peer = {
        ...input,
        incomingTokens: sorted(input.incomingTokens),
        updatedAt: input.createdAt,
      }
      remember(peer)
      return ok(peer)
    },
    async update(id, changes, updatedAt) {
      const row = rows.get(id)
      if (!row) return err('unknown_peer')
      const next: Peer = {
        ...row,
        staticIlpAddress: changes.staticIlpAddress ?? row.staticIlpAddress,
        name: changes.name === undefined ? row.name : changes.name,
        maxPacketAmount:
          changes.maxPacketAmount === undefined ? row.maxPacketAmount : changes.maxPacketAmount,
        liquidityThreshold:
          changes.liquidityThreshold === undefined
            ? row.liquidityThreshold
            : changes.liquidityThreshold,
        incomingTokens: sorted(changes.incomingTokens ?? row.incomingTokens),
        outgoing: changes.outgoing ?? row.outgoing,
        updatedAt,
      }
      const holder = byAddress.get(addressKey(next.staticIlpAddress, next.assetId))
      if (holder !== undefined && holder !== id) return err('duplicate_peer')
      if (!tokensFree(next.incomingTokens, id)) return err('duplicate_incoming_token')
      forget(row)
      remember(next)
      return ok(next)
    },
    async delete(id) {
      const row = rows.get(id)
      if (!row) return false
      forget(row)
      rows.delete(id)
      return true
    },
    async getById(id) {
      return rows.get(id)
    },
    async getByIncomingToken(token) {
      const id = byToken.get(token)
      return id === undefined ? undefined : rows.get(id)
    },
    async getByAddressAndAsset(staticIlpAddress, assetId) {
      const id = byAddress.get(addressKey(staticIlpAddress, assetId))
      return id === undefined ? undefined : rows.get(id)
    },
    async list(request) {
      return pageOf([...rows.values()], request)
    },
    async listAll() {
      return [...rows.values()]
    },
    async existsWithAsset(assetId) {
      return [...rows.values()].some((row) => row.assetId === assetId)
    },
  }
}
