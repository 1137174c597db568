import type { Result } from '../../domain/shared/result.ts'
import type { PeerEndpoint } from '../connector/accounts.ts'

export type PeerSendError =
  /** Connection refused or reset, DNS failure. */
  | 'unreachable'
  /** No answer within the time the packet allows. */
  | 'timeout'
  /** An HTTP status other than 200, or a body that is no ILP Fulfill or Reject. */
  | 'bad_reply'

/** Sends serialized ILP Prepares to peers (ILP-over-HTTP) and returns their serialized replies. */
export interface IlpPeerClient {
  /** Never throws. */
  send(
    peer: PeerEndpoint,
    prepare: Uint8Array,
    timeoutMs: number,
  ): Promise<Result<Uint8Array, PeerSendError>>
}
