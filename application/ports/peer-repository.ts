import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Peer, PeerOutgoing } from '../../domain/peers/peer.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { WorkTopic } from './work-signal.ts'

/** Woken (in process, and across replicas by the database) after peers change. */
export const peersChangedTopic: WorkTopic = 'peers_changed'

/** Already validated (checkPeerSettings); incomingTokens hold no duplicates. */
export type NewPeer = {
  readonly id: string
  readonly assetId: string
  readonly staticIlpAddress: string
  readonly name: string | null
  readonly maxPacketAmount: bigint | null
  readonly liquidityThreshold: bigint | null
  readonly incomingTokens: readonly string[]
  readonly outgoing: PeerOutgoing
  readonly createdAt: Date
}

/** Fields to change; an absent one stays as it is, null clears a nullable one. */
export type PeerChanges = {
  readonly staticIlpAddress?: string | undefined
  readonly name?: string | null | undefined
  readonly maxPacketAmount?: bigint | null | undefined
  readonly liquidityThreshold?: bigint | null | undefined
  /** Replaces every incoming token when present (an empty list removes them all). */
  readonly incomingTokens?: readonly string[] | undefined
  readonly outgoing?: PeerOutgoing | undefined
}

export type PeerWriteError =
  /** One of the incoming tokens already belongs to a peer (this one included, on create). */
  | 'duplicate_incoming_token'
  /** Another peer has the same staticIlpAddress on the same asset. */
  | 'duplicate_peer'

export interface PeerRepository {
  /** The peer and its incoming tokens, all or nothing. */
  create(peer: NewPeer): Promise<Result<Peer, PeerWriteError>>
  /** Applies `changes` atomically: on an error nothing changed. */
  update(
    id: string,
    changes: PeerChanges,
    updatedAt: Date,
  ): Promise<Result<Peer, PeerWriteError | 'unknown_peer'>>
  /** Deletes the peer and its incoming tokens; false when there is no such peer. */
  delete(id: string): Promise<boolean>
  getById(id: string): Promise<Peer | undefined>
  /** The peer that authenticates with `token`: one indexed lookup. */
  getByIncomingToken(token: string): Promise<Peer | undefined>
  getByAddressAndAsset(staticIlpAddress: string, assetId: string): Promise<Peer | undefined>
  /** In (createdAt, id) order; unknown_cursor when the cursor is not a peer. */
  list(request: PageRequest): Promise<Result<Page<Peer>, 'unknown_cursor'>>
  /**
   * Every peer, for the connector's in-memory routing and token tables (peers are few: an
   * operator adds them one by one). Reload after `peersChangedTopic` wakes.
   */
  listAll(): Promise<readonly Peer[]>
  /** Whether any peer uses the asset (an asset in use cannot be deleted). */
  existsWithAsset(assetId: string): Promise<boolean>
}
