import type { Result } from '../../domain/shared/result.ts'

/** What we send to another node's auto-peering server (Rafiki's PeeringRequestArgs). */
export type PeeringRequest = {
  readonly staticIlpAddress: string
  readonly ilpConnectorUrl: string
  readonly asset: { readonly code: string; readonly scale: number }
  /** The token we will present to the peer: the peer stores it as an incoming token. */
  readonly httpToken: string
  readonly maxPacketAmount?: bigint | undefined
  readonly name: string
}

/** A node's answer to a peering request (Rafiki's PeeringDetails). */
export type PeeringDetails = {
  readonly staticIlpAddress: string
  readonly ilpConnectorUrl: string
  /** The token the answering node will present to the requester. */
  readonly httpToken: string
  readonly name: string | null
}

export type PeeringRequestError =
  /** peerUrl is not an absolute http(s) URL. */
  | 'invalid_peer_url'
  /** Connection refused or reset, DNS failure. */
  | 'peer_unreachable'
  /** No complete answer within the client's timeout. */
  | 'peer_timeout'
  /** The peer has no asset of that code and scale (its UnknownAsset). */
  | 'peer_unsupported_asset'
  /** The peer refused our address or connector URL (its InvalidPeerIlpConfiguration). */
  | 'peer_refused_our_ilp_configuration'
  /** Any other refusal. */
  | 'peer_refused'
  /** A success whose body is not peering details, or a reply too large to read. */
  | 'invalid_peer_reply'

/** Rafiki's auto-peering exchange: POST our details to a peer's URL, get theirs back. */
export interface AutoPeeringClient {
  /** Never throws. */
  requestPeering(
    peerUrl: string,
    request: PeeringRequest,
  ): Promise<Result<PeeringDetails, PeeringRequestError>>
}
