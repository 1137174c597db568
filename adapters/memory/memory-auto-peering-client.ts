import type {
  AutoPeeringClient,
  PeeringDetails,
  PeeringRequest,
  PeeringRequestError,
} from '../../application/ports/auto-peering-client.ts'
import type { Result } from '../../domain/shared/result.ts'

export type PeeringAnswer = (
  peerUrl: string,
  request: PeeringRequest,
) =>
  Result<PeeringDetails, PeeringRequestError> | Promise<Result<PeeringDetails, PeeringRequestError>>

export type MemoryAutoPeeringClient = AutoPeeringClient & {
  /** Every request sent, in order. */
  readonly sent: { readonly peerUrl: string; readonly request: PeeringRequest }[]
}

/**
 * For unit tests: each request is answered by `answer`, which may stand for a whole other node
 * (an AcceptPeeringRequest over in-memory adapters) or give a fixed reply.
 */
export function makeMemoryAutoPeeringClient(answer: PeeringAnswer): MemoryAutoPeeringClient {
  const sent: { peerUrl: string; request: PeeringRequest }[] = []
  return {
    sent,
    async requestPeering(peerUrl, request) {
      sent.push({ peerUrl, request })
      return answer(peerUrl, request)
    },
  }
}
