import type { Peer } from '../../../domain/peers/peer.ts'
import { err, type Result } from '../../../domain/shared/result.ts'
import type { PeerRepository } from '../../ports/peer-repository.ts'
import type { CreatePeer, CreatePeerError } from '../create-peer.ts'
import type { UpdatePeer, UpdatePeerError } from '../update-peer.ts'

/** This node as auto-peering presents it: ILP_ADDRESS, ILP_CONNECTOR_URL, INSTANCE_NAME. */
export type OwnPeeringDetails = {
  readonly ilpAddress: string
  readonly ilpConnectorUrl: string
  readonly instanceName: string
}

/** A peer as one auto-peering exchange defines it. */
export type AutoPeerSettings = {
  readonly assetId: string
  readonly staticIlpAddress: string
  /** The peer's ILP-over-HTTP endpoint. */
  readonly endpoint: string
  /** The token the peer presents to us: it replaces every incoming token of an existing peer. */
  readonly incomingToken: string
  /** The token we present to the peer. */
  readonly outgoingToken: string
  /** Absent: none on create, unchanged on update. */
  readonly maxPacketAmount?: bigint | undefined
  readonly name?: string | undefined
  readonly liquidityThreshold?: bigint | undefined
  /** Deposited only when the peer is created. */
  readonly initialLiquidity?: bigint | undefined
}

export type UpsertAutoPeerError = CreatePeerError | UpdatePeerError

export type UpsertAutoPeerDeps = {
  readonly createPeer: CreatePeer
  readonly updatePeer: UpdatePeer
  readonly peers: PeerRepository
}

/**
 * Rafiki's "create, or update the peer with that address and asset": a second exchange with the
 * same node gives it new tokens and endpoint instead of failing as a duplicate.
 */
export async function upsertAutoPeer(
  deps: UpsertAutoPeerDeps,
  settings: AutoPeerSettings,
): Promise<Result<Peer, UpsertAutoPeerError>> {
  const outgoing = { authToken: settings.outgoingToken, endpoint: settings.endpoint }
  const created = await deps.createPeer({
    assetId: settings.assetId,
    staticIlpAddress: settings.staticIlpAddress,
    outgoing,
    incomingTokens: [settings.incomingToken],
    name: settings.name,
    maxPacketAmount: settings.maxPacketAmount,
    liquidityThreshold: settings.liquidityThreshold,
    initialLiquidity: settings.initialLiquidity,
  })
  if (created.ok || created.error !== 'duplicate_peer') return created
  const existing = await deps.peers.getByAddressAndAsset(
    settings.staticIlpAddress,
    settings.assetId,
  )
  // Deleted between the two calls.
  if (!existing) return err('unknown_peer')
  return deps.updatePeer({
    id: existing.id,
    outgoing,
    incomingTokens: [settings.incomingToken],
    name: settings.name,
    maxPacketAmount: settings.maxPacketAmount,
    liquidityThreshold: settings.liquidityThreshold,
  })
}
