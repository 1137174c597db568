import { connectionArgs } from '../connection.ts'

// Needs assetTypeDefs (Asset) in the same schema. Shapes as Rafiki's backend schema has them.
export const feeTypeDefs = /* GraphQL */ `
  type Mutation {
    "Set the fee structure on an asset"
    setFee(input: SetFeeInput!): SetFeeResponse!
  }

  extend type Asset {
    "The receiving fee structure for the asset"
    receivingFee: Fee
    "The sending fee structure for the asset"
    sendingFee: Fee
    "Fetch a page of the asset's fees, both types, in the order they were set"
    fees(${connectionArgs}): FeesConnection
  }

  enum FeeType {
    "The sender is responsible for paying the fees"
    SENDING
    "The receiver is responsible for paying the fees"
    RECEIVING
  }

  type Fee implements Model {
    id: ID!
    "Asset id associated with the fee"
    assetId: ID!
    "Type of fee (sending or receiving)"
    type: FeeType!
    "Fixed fee"
    fixed: UInt64!
    "Basis points fee: 1 basis point = 0.01%, 100 = 1%, 10000 = 100%"
    basisPoints: Int!
    createdAt: String!
  }

  type FeesConnection {
    pageInfo: PageInfo!
    edges: [FeeEdge!]!
  }

  type FeeEdge {
    node: Fee!
    cursor: String!
  }

  input SetFeeInput {
    "Asset id to add the fee to"
    assetId: ID!
    "Type of fee (sending or receiving)"
    type: FeeType!
    "Fee values"
    fee: FeeDetails!
    idempotencyKey: String
  }

  input FeeDetails {
    "A flat fee"
    fixed: UInt64!
    "Basis points fee, from 0 to 10000 (inclusive)"
    basisPoints: Int!
  }

  type SetFeeResponse {
    fee: Fee
  }
`
