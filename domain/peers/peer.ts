import { validateThreshold } from '../assets/asset.ts'
import { err, ok, type Result } from '../shared/result.ts'
import { isUInt64 } from '../shared/uint64.ts'
import { isIlpAddress } from './ilp-address.ts'

/** Where packets routed to the peer go (ILP-over-HTTP), and the token we present there. */
export type PeerOutgoing = {
  readonly authToken: string
  readonly endpoint: string
}

/** Another connector we exchange ILP packets with, over one asset. */
export type Peer = {
  /** Also the id of the peer's PEER liquidity account. */
  readonly id: string
  readonly assetId: string
  /** Packets for this address, or any below it, are routed to the peer. */
  readonly staticIlpAddress: string
  readonly name: string | null
  /** Larger packets are rejected (F08); null: no limit. */
  readonly maxPacketAmount: bigint | null
  /** `peer.liquidity_low` is sent when a debit leaves the liquidity at or below this. */
  readonly liquidityThreshold: bigint | null
  /** Tokens the peer authenticates with, each unique across all peers; sorted. */
  readonly incomingTokens: readonly string[]
  readonly outgoing: PeerOutgoing
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type PeerSettingsError =
  | 'invalid_ilp_address'
  | 'invalid_endpoint'
  | 'invalid_token'
  | 'too_many_tokens'
  | 'duplicate_incoming_token'
  | 'invalid_name'
  | 'invalid_max_packet_amount'
  | 'invalid_threshold'

// Rafiki keeps names and tokens in varchar(255) columns; longer values failed there with a 500.
export const peerNameLengthMax = 255
export const peerTokenLengthMax = 255
export const incomingTokensMax = 100
export const peerEndpointLengthMax = 2048

/** The settings an operator gives a peer; on update only the present ones are checked. */
export type PeerSettings = {
  readonly staticIlpAddress?: string | undefined
  readonly name?: string | null | undefined
  readonly maxPacketAmount?: bigint | null | undefined
  readonly liquidityThreshold?: bigint | null | undefined
  readonly incomingTokens?: readonly string[] | undefined
  readonly outgoing?: PeerOutgoing | undefined
}

/**
 * A token travels in `Authorization: Bearer <token>`: visible ASCII only. Rafiki takes any
 * string; one with spaces, control or non-ASCII characters could never be sent in a header.
 */
export const isPeerToken = (token: string): boolean =>
  token.length > 0 && token.length <= peerTokenLengthMax && /^[\x21-\x7e]+$/.test(token)

/** Rafiki's isValidHttpUrl: an absolute http or https URL. */
export function isPeerEndpoint(endpoint: string): boolean {
  if (endpoint.length > peerEndpointLengthMax || !URL.canParse(endpoint)) return false
  const { protocol, hostname } = new URL(endpoint)
  return (protocol === 'http:' || protocol === 'https:') && hostname !== ''
}

function checkTokens(tokens: readonly string[]): PeerSettingsError | undefined {
  if (tokens.length > incomingTokensMax) return 'too_many_tokens'
  if (!tokens.every(isPeerToken)) return 'invalid_token'
  // Rafiki inserts them in one batch, so a token given twice is a duplicate like any other.
  return new Set(tokens).size === tokens.length ? undefined : 'duplicate_incoming_token'
}

function checkOutgoing(outgoing: PeerOutgoing): PeerSettingsError | undefined {
  if (!isPeerEndpoint(outgoing.endpoint)) return 'invalid_endpoint'
  return isPeerToken(outgoing.authToken) ? undefined : 'invalid_token'
}

/** Checks the settings that are present, in Rafiki's order (address first). */
export function checkPeerSettings(settings: PeerSettings): Result<void, PeerSettingsError> {
  const { staticIlpAddress, name, maxPacketAmount, liquidityThreshold } = settings
  if (staticIlpAddress !== undefined && !isIlpAddress(staticIlpAddress)) {
    return err('invalid_ilp_address')
  }
  const outgoing = settings.outgoing && checkOutgoing(settings.outgoing)
  if (outgoing) return err(outgoing)
  const tokens = settings.incomingTokens && checkTokens(settings.incomingTokens)
  if (tokens) return err(tokens)
  if (name != null && name.length > peerNameLengthMax) return err('invalid_name')
  if (maxPacketAmount != null && !isUInt64(maxPacketAmount)) {
    return err('invalid_max_packet_amount')
  }
  if (liquidityThreshold !== undefined && !validateThreshold(liquidityThreshold).ok) {
    return err('invalid_threshold')
  }
  return ok(undefined)
}
