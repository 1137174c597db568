import {
  checkPeerSettings,
  type Peer,
  type PeerOutgoing,
  type PeerSettingsError,
} from '../../domain/peers/peer.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Clock } from '../ports/clock.ts'
import {
  peersChangedTopic,
  type PeerChanges,
  type PeerRepository,
  type PeerWriteError,
} from '../ports/peer-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'

/**
 * Absent (undefined) fields stay as they are. null clears name, maxPacketAmount and
 * liquidityThreshold; for the others, which a peer always has, null counts as absent.
 */
export type UpdatePeerInput = {
  readonly id: string
  readonly staticIlpAddress?: string | null | undefined
  readonly name?: string | null | undefined
  readonly maxPacketAmount?: bigint | null | undefined
  readonly liquidityThreshold?: bigint | null | undefined
  readonly outgoing?: PeerOutgoing | null | undefined
  /** Replaces every incoming token when given. */
  readonly incomingTokens?: readonly string[] | null | undefined
}

export type UpdatePeerError = PeerSettingsError | PeerWriteError | 'unknown_peer'

export type UpdatePeer = (input: UpdatePeerInput) => Promise<Result<Peer, UpdatePeerError>>

export type UpdatePeerDeps = {
  readonly peers: PeerRepository
  readonly clock: Clock
  readonly signal: WorkSignal
}

export const makeUpdatePeer =
  (deps: UpdatePeerDeps): UpdatePeer =>
  async (input) => {
    const changes: PeerChanges = {
      staticIlpAddress: input.staticIlpAddress ?? undefined,
      name: input.name,
      maxPacketAmount: input.maxPacketAmount,
      liquidityThreshold: input.liquidityThreshold,
      outgoing: input.outgoing ?? undefined,
      incomingTokens: input.incomingTokens ?? undefined,
    }
    const checked = checkPeerSettings(changes)
    if (!checked.ok) return checked
    if (!isUuid(input.id)) return err('unknown_peer')
    const updated = await deps.peers.update(input.id, changes, new Date(deps.clock.now()))
    if (updated.ok) deps.signal.notify(peersChangedTopic)
    return updated
  }
