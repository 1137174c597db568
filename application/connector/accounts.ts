// The accounts the packet pipeline moves money between, as it sees them: already joined with
// their asset, so the hot path never reads the database to learn an asset's scale or ledger.

export type ConnectorAsset = {
  readonly id: string
  readonly code: string
  readonly scale: number
  /** The asset's ledger number: both sides of a transfer must be on it. */
  readonly ledger: number
}

export type PeerEndpoint = {
  /** The peer's ILP-over-HTTP URL. */
  readonly endpoint: string
  /** Sent as `Authorization: Bearer <authToken>`. */
  readonly authToken: string
}

export type PeerAccount = {
  readonly kind: 'peer'
  /** Also the id of its PEER liquidity account. */
  readonly id: string
  readonly asset: ConnectorAsset
  readonly staticIlpAddress: string
  /** Prepares above this are rejected F08; null: no limit. */
  readonly maxPacketAmount: bigint | null
  /** `peer.liquidity_low` once a packet leaves the liquidity at or below this; null: never. */
  readonly liquidityThreshold: bigint | null
  /** Where packets routed to this peer go; null: the peer only sends to us. */
  readonly outgoing: PeerEndpoint | null
}

/** Where a packet from our own side (quotes, outgoing payments) comes from. */
export type LocalAccount = {
  readonly kind: 'local'
  /** The liquidity account debited (an outgoing payment's OUTGOING account). */
  readonly id: string
  readonly asset: ConnectorAsset
  /**
   * Quote probes: packets with random conditions, which nobody can fulfill, so nothing is
   * reserved for them and none is ever settled.
   */
  readonly probe?: boolean
}

export type SourceAccount = PeerAccount | LocalAccount
