import { connectionArgs } from '../connection.ts'

export const assetTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch an asset by id"
    asset(id: String!): Asset
    "Fetch an asset by code and scale; null when there is none"
    assetByCodeAndScale(code: String!, scale: UInt8!): Asset
    "Fetch a page of assets"
    assets(${connectionArgs}): AssetsConnection!
  }

  type Mutation {
    "Create an asset"
    createAsset(input: CreateAssetInput!): AssetMutationResponse!
    "Update an asset's thresholds"
    updateAsset(input: UpdateAssetInput!): AssetMutationResponse!
    "Delete an asset (soft delete)"
    deleteAsset(input: DeleteAssetInput!): DeleteAssetMutationResponse!
  }

  type Asset implements Model {
    id: ID!
    "Currency code, e.g. USD"
    code: String!
    "Difference in orders of magnitude between the standard unit and a fractional unit"
    scale: UInt8!
    "Minimum amount of liquidity that can be withdrawn from the asset"
    withdrawalThreshold: UInt64
    "A webhook event notifies the ASE when liquidity falls to or below this amount"
    liquidityThreshold: UInt64
    createdAt: String!
  }

  type AssetsConnection {
    pageInfo: PageInfo!
    edges: [AssetEdge!]!
  }

  type AssetEdge {
    node: Asset!
    cursor: String!
  }

  input CreateAssetInput {
    code: String!
    scale: UInt8!
    withdrawalThreshold: UInt64
    liquidityThreshold: UInt64
    idempotencyKey: String
  }

  input UpdateAssetInput {
    id: String!
    withdrawalThreshold: UInt64
    liquidityThreshold: UInt64
    idempotencyKey: String
  }

  input DeleteAssetInput {
    id: ID!
    idempotencyKey: String
  }

  type AssetMutationResponse {
    asset: Asset
  }

  type DeleteAssetMutationResponse {
    asset: Asset
  }
`
