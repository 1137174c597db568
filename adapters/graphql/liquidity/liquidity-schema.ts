export const liquidityTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch the most recent transfers debiting and crediting a ledger account"
    accountingTransfers(id: String!, limit: Int): AccountingTransferConnection!
  }

  type Mutation {
    "Deposit liquidity into an asset's liquidity account"
    depositAssetLiquidity(input: DepositAssetLiquidityInput!): LiquidityMutationResponse
    "Withdraw liquidity from an asset's liquidity account (pending when timeoutSeconds > 0)"
    createAssetLiquidityWithdrawal(
      input: CreateAssetLiquidityWithdrawalInput!
    ): LiquidityMutationResponse
    "Post a pending liquidity withdrawal"
    postLiquidityWithdrawal(input: PostLiquidityWithdrawalInput!): LiquidityMutationResponse
    "Void a pending liquidity withdrawal"
    voidLiquidityWithdrawal(input: VoidLiquidityWithdrawalInput!): LiquidityMutationResponse
  }

  extend type Asset {
    "Available liquidity"
    liquidity: UInt64
  }

  input DepositAssetLiquidityInput {
    assetId: String!
    amount: UInt64!
    "The id of the transfer"
    id: String!
    idempotencyKey: String!
  }

  input CreateAssetLiquidityWithdrawalInput {
    assetId: String!
    amount: UInt64!
    "The id of the withdrawal"
    id: String!
    idempotencyKey: String!
    "Seconds until a pending withdrawal expires; 0 withdraws at once"
    timeoutSeconds: UInt64!
  }

  input PostLiquidityWithdrawalInput {
    withdrawalId: String!
    idempotencyKey: String!
  }

  input VoidLiquidityWithdrawalInput {
    withdrawalId: String!
    idempotencyKey: String!
  }

  type LiquidityMutationResponse {
    success: Boolean!
  }

  enum TransferType {
    DEPOSIT
    WITHDRAWAL
    TRANSFER
  }

  enum TransferState {
    PENDING
    POSTED
    VOIDED
  }

  type AccountingTransfer {
    id: ID!
    debitAccountId: ID!
    creditAccountId: ID!
    amount: UInt64!
    transferType: TransferType!
    ledger: Int!
    state: TransferState!
    expiresAt: String
    createdAt: String!
  }

  type AccountingTransferConnection {
    debits: [AccountingTransfer!]!
    credits: [AccountingTransfer!]!
  }
`
