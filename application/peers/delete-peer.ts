import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import { peersChangedTopic, type PeerRepository } from '../ports/peer-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'

export type DeletePeer = (id: string) => Promise<Result<void, 'unknown_peer'>>

/**
 * Rafiki deletes the peer and its incoming tokens; its PEER liquidity account stays in the
 * ledger with whatever it holds (history, and the operator's to settle).
 */
export const makeDeletePeer =
  (deps: { readonly peers: PeerRepository; readonly signal: WorkSignal }): DeletePeer =>
  async (id) => {
    if (!isUuid(id) || !(await deps.peers.delete(id))) return err('unknown_peer')
    deps.signal.notify(peersChangedTopic)
    return ok(undefined)
  }
