import { makeRoutingTable, type RoutingTable } from '../../domain/ilp/routing-table.ts'
import type { Peer } from '../../domain/peers/peer.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { Logger } from '../ports/logger.ts'
import { peersChangedTopic, type PeerRepository } from '../ports/peer-repository.ts'
import type { PeerDirectory } from '../ports/peer-directory.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import type { ConnectorAsset, PeerAccount } from './accounts.ts'

export type PeerDirectoryDeps = {
  readonly peers: PeerRepository
  readonly assets: AssetRepository
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly logger: Logger
  /** Reloaded at least this often, in case a change notice from another replica was lost. */
  readonly refreshMs: number
}

type Tables = {
  readonly byToken: ReadonlyMap<string, PeerAccount>
  readonly routes: RoutingTable<PeerAccount>
  readonly loadedAtMs: number
}

export type CachedPeerDirectory = PeerDirectory & {
  /** Drops the tables; the next packet reloads them. */
  invalidate(): void
  close(): void
}

/**
 * The connector's view of the peers, held in memory: every packet needs its sender by token and
 * its next hop by the longest address prefix, and peers change rarely. A change (this process or
 * another replica, through the work signal) or refreshMs invalidates the tables.
 */
export function makePeerDirectory(deps: PeerDirectoryDeps): CachedPeerDirectory {
  let tables: Tables | undefined
  let loading: Promise<Tables> | undefined
  let generation = 0
  const load = async (): Promise<Tables> => {
    const started = generation
    const peers = await deps.peers.listAll()
    const accounts = await toAccounts(deps, peers)
    const loaded = {
      byToken: new Map(
        accounts.flatMap(({ peer, account }) =>
          peer.incomingTokens.map((token) => [token, account] as const),
        ),
      ),
      routes: makeRoutingTable(
        accounts.map(({ account }) => ({ prefix: account.staticIlpAddress, target: account })),
      ),
      loadedAtMs: deps.clock.now(),
    }
    // A change during the load may be missing from it: keep it for this caller only.
    if (started === generation) tables = loaded
    return loaded
  }
  const current = async (): Promise<Tables> => {
    if (tables && deps.clock.now() - tables.loadedAtMs < deps.refreshMs) return tables
    loading ??= load().finally(() => (loading = undefined))
    return loading
  }
  const invalidate = () => {
    generation += 1
    tables = undefined
  }
  const unsubscribe = deps.signal.subscribe(peersChangedTopic, invalidate)
  return {
    async byIncomingToken(token) {
      return (await current()).byToken.get(token)
    },
    async route(destination) {
      return (await current()).routes.lookup(destination)
    },
    invalidate,
    close: unsubscribe,
  }
}

async function toAccounts(deps: PeerDirectoryDeps, peers: readonly Peer[]) {
  const assets = new Map<string, ConnectorAsset>()
  const result: { peer: Peer; account: PeerAccount }[] = []
  for (const peer of peers) {
    let asset = assets.get(peer.assetId)
    if (asset === undefined) {
      const found = await deps.assets.getById(peer.assetId)
      if (!found) {
        deps.logger.error({ peerId: peer.id, assetId: peer.assetId }, 'peer without its asset')
        continue
      }
      asset = { id: found.id, code: found.code, scale: found.scale, ledger: found.ledger }
      assets.set(asset.id, asset)
    }
    result.push({
      peer,
      account: {
        kind: 'peer',
        id: peer.id,
        asset,
        staticIlpAddress: peer.staticIlpAddress,
        maxPacketAmount: peer.maxPacketAmount,
        liquidityThreshold: peer.liquidityThreshold,
        outgoing: peer.outgoing.endpoint === '' ? null : peer.outgoing,
      },
    })
  }
  return result
}
