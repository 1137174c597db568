// createOrUpdatePeerByUrl as in Rafiki's backend schema.graphql (v1.x). Needs peerTypeDefs (Peer).
export const autoPeeringTypeDefs = /* GraphQL */ `
  type Mutation {
    "Peer with another node through its auto-peering server, creating or updating the peer"
    createOrUpdatePeerByUrl(
      input: CreateOrUpdatePeerByUrlInput!
    ): CreateOrUpdatePeerByUrlMutationResponse!
  }

  input CreateOrUpdatePeerByUrlInput {
    "Maximum packet amount that the peer accepts"
    maxPacketAmount: UInt64
    "Asset id of peering relationship"
    assetId: String!
    "Peer's URL address at which the peer accepts auto-peering requests"
    peerUrl: String!
    "Peer's internal name for overriding auto-peer's default naming"
    name: String
    "A webhook event notifies the ASE when the peer's liquidity falls to or below this amount"
    liquidityThreshold: UInt64
    "Amount of liquidity to deposit for peer"
    liquidityToDeposit: UInt64
    idempotencyKey: String
  }

  type CreateOrUpdatePeerByUrlMutationResponse {
    peer: Peer
  }
`
