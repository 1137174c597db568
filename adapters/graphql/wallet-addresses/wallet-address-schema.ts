import { connectionArgs } from '../connection.ts'

// Names follow Rafiki's backend schema.graphql (v1.x). CreateWalletAddressInput takes `url`
// (v1.x) or `address` (Rafiki 2.x), exactly one; WalletAddress shows both names.
export const walletAddressTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch a wallet address by id"
    walletAddress(id: String!): WalletAddress
    "Fetch a wallet address by its URL; null when there is none"
    walletAddressByUrl(url: String!): WalletAddress
    "Fetch a page of wallet addresses"
    walletAddresses(${connectionArgs}): WalletAddressesConnection!
  }

  type Mutation {
    "Create a wallet address"
    createWalletAddress(input: CreateWalletAddressInput!): CreateWalletAddressMutationResponse!
    "Update a wallet address"
    updateWalletAddress(input: UpdateWalletAddressInput!): UpdateWalletAddressMutationResponse!
    "Add a public key to a wallet address that is used to verify Open Payments requests"
    createWalletAddressKey(
      input: CreateWalletAddressKeyInput!
    ): CreateWalletAddressKeyMutationResponse
    "Revoke a public key of a wallet address; requests signed with it are refused from then on"
    revokeWalletAddressKey(
      input: RevokeWalletAddressKeyInput!
    ): RevokeWalletAddressKeyMutationResponse
    "Report the web-monetization money of up to limit wallet addresses whose report is due"
    triggerWalletAddressEvents(
      input: TriggerWalletAddressEventsInput!
    ): TriggerWalletAddressEventsMutationResponse!
  }

  type WalletAddress implements Model {
    id: ID!
    "Wallet address URL"
    url: String!
    "The same URL under Rafiki 2.x's name"
    address: String!
    asset: Asset!
    "Public name associated with the wallet address"
    publicName: String
    status: WalletAddressStatus!
    "Additional properties, including those not visible in Open Payments"
    additionalProperties: [AdditionalProperty]
    "Available liquidity; null until the wallet address has a liquidity account"
    liquidity: UInt64
    "Keys associated with this wallet address, revoked ones included"
    walletAddressKeys(${connectionArgs}): WalletAddressKeyConnection
    createdAt: String!
  }

  enum WalletAddressStatus {
    "Status after deactivating"
    INACTIVE
    "Default status"
    ACTIVE
  }

  type AdditionalProperty {
    key: String!
    value: String!
    visibleInOpenPayments: Boolean!
  }

  input AdditionalPropertyInput {
    key: String!
    value: String!
    visibleInOpenPayments: Boolean!
  }

  type WalletAddressesConnection {
    pageInfo: PageInfo!
    edges: [WalletAddressEdge!]!
  }

  type WalletAddressEdge {
    node: WalletAddress!
    cursor: String!
  }

  enum Alg {
    EdDSA
  }

  enum Kty {
    OKP
  }

  enum Crv {
    Ed25519
  }

  type Jwk {
    "Key id"
    kid: String!
    "Base64 url-encoded public key"
    x: String!
    alg: Alg!
    kty: Kty!
    crv: Crv!
  }

  input JwkInput {
    "Key id"
    kid: String!
    "Base64 url-encoded public key"
    x: String!
    alg: Alg!
    kty: Kty!
    crv: Crv!
  }

  type WalletAddressKey implements Model {
    id: ID!
    walletAddressId: ID!
    jwk: Jwk!
    revoked: Boolean!
    createdAt: String!
  }

  type WalletAddressKeyConnection {
    pageInfo: PageInfo!
    edges: [WalletAddressKeyEdge!]!
  }

  type WalletAddressKeyEdge {
    node: WalletAddressKey!
    cursor: String!
  }

  input CreateWalletAddressInput {
    assetId: String!
    "Wallet address URL (Rafiki v1.x name); give this or address"
    url: String
    "Wallet address URL (Rafiki 2.x name); give this or url"
    address: String
    publicName: String
    additionalProperties: [AdditionalPropertyInput!]
    idempotencyKey: String
  }

  input UpdateWalletAddressInput {
    id: ID!
    publicName: String
    status: WalletAddressStatus
    "Replaces all additional properties when given"
    additionalProperties: [AdditionalPropertyInput!]
    idempotencyKey: String
  }

  input CreateWalletAddressKeyInput {
    walletAddressId: String!
    jwk: JwkInput!
    idempotencyKey: String
  }

  input RevokeWalletAddressKeyInput {
    "Internal id of the key"
    id: String!
    idempotencyKey: String
  }

  input TriggerWalletAddressEventsInput {
    "Maximum number of wallet addresses to process"
    limit: Int!
    idempotencyKey: String
  }

  type TriggerWalletAddressEventsMutationResponse {
    "Number of wallet addresses processed"
    count: Int
  }

  type CreateWalletAddressMutationResponse {
    walletAddress: WalletAddress
  }

  type UpdateWalletAddressMutationResponse {
    walletAddress: WalletAddress
  }

  type CreateWalletAddressKeyMutationResponse {
    walletAddressKey: WalletAddressKey
  }

  type RevokeWalletAddressKeyMutationResponse {
    walletAddressKey: WalletAddressKey
  }
`
