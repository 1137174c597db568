import { connectionArgs } from '../connection.ts'

// Names and shapes follow Rafiki's backend schema.graphql (v1.x). Needs assetTypeDefs (Asset)
// and liquidityTypeDefs (LiquidityMutationResponse) in the same schema.
export const peerTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch a peer"
    peer(id: String!): Peer
    "Fetch a page of peers"
    peers(${connectionArgs}): PeersConnection!
    "Fetch a peer by its ILP address and asset; null when there is none"
    peerByAddressAndAsset(staticIlpAddress: String!, assetId: String!): Peer
  }

  type Mutation {
    "Create a peer"
    createPeer(input: CreatePeerInput!): CreatePeerMutationResponse!
    "Update a peer"
    updatePeer(input: UpdatePeerInput!): UpdatePeerMutationResponse!
    "Delete a peer (its liquidity account stays in the ledger)"
    deletePeer(input: DeletePeerInput!): DeletePeerMutationResponse!
    "Deposit liquidity into a peer's liquidity account"
    depositPeerLiquidity(input: DepositPeerLiquidityInput!): LiquidityMutationResponse
    "Withdraw liquidity from a peer's liquidity account (pending when timeoutSeconds > 0)"
    createPeerLiquidityWithdrawal(
      input: CreatePeerLiquidityWithdrawalInput!
    ): LiquidityMutationResponse
  }

  type Peer implements Model {
    id: ID!
    "Maximum packet amount that the peer accepts"
    maxPacketAmount: UInt64
    "Peering connection details"
    http: Http!
    "Asset of peering relationship"
    asset: Asset!
    "Peer's ILP address"
    staticIlpAddress: String!
    "Peer's public name"
    name: String
    "A webhook event notifies the ASE when the peer's liquidity falls to or below this amount"
    liquidityThreshold: UInt64
    "Available liquidity"
    liquidity: UInt64
    "Tokens the peer authenticates with at this node"
    incomingTokens: [String!]
    createdAt: String!
  }

  type Http {
    "Outgoing connection details"
    outgoing: HttpOutgoing!
  }

  type HttpOutgoing {
    "Auth token to present at the peering node"
    authToken: String!
    "Peer's ILP-over-HTTP endpoint"
    endpoint: String!
  }

  type PeersConnection {
    pageInfo: PageInfo!
    edges: [PeerEdge!]!
  }

  type PeerEdge {
    node: Peer!
    cursor: String!
  }

  input HttpInput {
    "Incoming connection details"
    incoming: HttpIncomingInput
    "Outgoing connection details"
    outgoing: HttpOutgoingInput!
  }

  input HttpIncomingInput {
    "Auth tokens this node accepts from the peer; each unique across peers"
    authTokens: [String!]!
  }

  input HttpOutgoingInput {
    "Auth token to present at the peering node"
    authToken: String!
    "Peer's ILP-over-HTTP endpoint"
    endpoint: String!
  }

  input CreatePeerInput {
    "Asset id of peering relationship"
    assetId: String!
    "Peer's ILP address"
    staticIlpAddress: String!
    "Peering connection details"
    http: HttpInput!
    "Maximum packet amount that the peer accepts"
    maxPacketAmount: UInt64
    "Peer's internal name"
    name: String
    "A webhook event notifies the ASE when the peer's liquidity falls to or below this amount"
    liquidityThreshold: UInt64
    "Initial amount of liquidity to deposit for the peer"
    initialLiquidity: UInt64
    idempotencyKey: String
  }

  input UpdatePeerInput {
    id: String!
    "New maximum packet amount that the peer accepts; null removes the limit"
    maxPacketAmount: UInt64
    "New peering connection details; incoming auth tokens, when given, replace all of them"
    http: HttpInput
    "Peer's new ILP address"
    staticIlpAddress: String
    "Peer's new name"
    name: String
    "New liquidity threshold; null removes it"
    liquidityThreshold: UInt64
    idempotencyKey: String
  }

  input DeletePeerInput {
    id: ID!
    idempotencyKey: String
  }

  input DepositPeerLiquidityInput {
    "The id of the peer to deposit liquidity into"
    peerId: String!
    amount: UInt64!
    "The id of the transfer"
    id: String!
    idempotencyKey: String!
  }

  input CreatePeerLiquidityWithdrawalInput {
    "The id of the peer to withdraw from"
    peerId: String!
    amount: UInt64!
    "The id of the withdrawal"
    id: String!
    idempotencyKey: String!
    "Seconds until a pending withdrawal expires; 0 withdraws at once"
    timeoutSeconds: UInt64!
  }

  type CreatePeerMutationResponse {
    peer: Peer
  }

  type UpdatePeerMutationResponse {
    peer: Peer
  }

  type DeletePeerMutationResponse {
    success: Boolean!
  }
`
