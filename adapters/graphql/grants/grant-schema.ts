import { connectionArgs } from '../connection.ts'

// The embedded authorization server's admin API: names and shapes of Rafiki's auth
// schema.graphql (v1.x). Needs baseTypeDefs (Model, PageInfo, SortOrder, UInt8, UInt64) and
// webhookTypeDefs (FilterString; ours requires `in`, Rafiki auth's does not).

/** FilterString for a schema without webhookTypeDefs (an auth-only admin API). */
export const filterStringTypeDefs = /* GraphQL */ `
  input FilterString {
    in: [String!]!
  }
`

export const grantTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch a page of grants."
    grants(${connectionArgs}, "Filter grants based on specific criteria." filter: GrantFilter): GrantsConnection!

    "Fetch a grant"
    grant(id: ID!): Grant!
  }

  type Mutation {
    "Revoke Grant"
    revokeGrant(input: RevokeGrantInput!): RevokeGrantMutationResponse!
  }

  type GrantsConnection {
    pageInfo: PageInfo!
    edges: [GrantEdge!]!
  }

  type GrantEdge {
    node: Grant!
    cursor: String!
  }

  input GrantFilter {
    identifier: FilterString
    state: FilterGrantState
    finalizationReason: FilterFinalizationReason
  }

  input FilterGrantState {
    in: [GrantState!]
    notIn: [GrantState!]
  }

  input FilterFinalizationReason {
    in: [GrantFinalization!]
    notIn: [GrantFinalization!]
  }

  input RevokeGrantInput {
    grantId: String!
  }

  type Grant implements Model {
    "Grant id"
    id: ID!
    "Wallet address of the grantee's account"
    client: String!
    "Access details"
    access: [Access!]!
    "State of the grant"
    state: GrantState!
    "Reason a grant was finalized"
    finalizationReason: GrantFinalization
    "Date-time of creation"
    createdAt: String!
  }

  type Access implements Model {
    "Access id"
    id: ID!
    "Wallet address of a sub-resource (incoming payment, outgoing payment, or quote)"
    identifier: String
    "Access type (incoming payment, outgoing payment, or quote)"
    type: String!
    "Access action (create, read, list or complete)"
    actions: [String]!
    "Payment limits"
    limits: LimitData
    "Date-time of creation"
    createdAt: String!
  }

  type LimitData {
    "Wallet address URL of the receiver"
    receiver: String
    "Amount to debit"
    debitAmount: PaymentAmount
    "Amount to receive"
    receiveAmount: PaymentAmount
    "Interval between payments"
    interval: String
  }

  type PaymentAmount {
    value: UInt64!
    "ISO 4217 currency code, e.g. USD"
    assetCode: String!
    "Difference in orders of magnitude between the standard unit and a fractional unit"
    assetScale: UInt8!
  }

  type RevokeGrantMutationResponse {
    id: ID!
  }

  enum GrantState {
    "grant request is determining what state to enter next"
    PROCESSING
    "grant request is awaiting interaction"
    PENDING
    "grant was approved"
    APPROVED
    "grant was finalized and no more access tokens or interactions can be made on it"
    FINALIZED
  }

  enum GrantFinalization {
    "grant was issued"
    ISSUED
    "grant was revoked"
    REVOKED
    "grant was rejected"
    REJECTED
  }
`
