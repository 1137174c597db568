import type { PeerAccount } from '../connector/accounts.ts'

/**
 * The peers as the connector needs them, on every packet: by the token a peer authenticates
 * with, and by the longest of their addresses that prefixes a destination. Adapters answer from
 * memory and refresh when peers change.
 */
export interface PeerDirectory {
  byIncomingToken(token: string): Promise<PeerAccount | undefined>
  /** The peer whose staticIlpAddress is the longest prefix (at a segment boundary). */
  route(destination: string): Promise<PeerAccount | undefined>
}
