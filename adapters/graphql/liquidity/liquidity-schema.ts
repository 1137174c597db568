// Needs walletAddressTypeDefs (WalletAddress) in the same schema.
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
    "Withdraw what a completed or expired incoming payment received (its event id is the withdrawal id)"
    createIncomingPaymentWithdrawal(
      input: CreateIncomingPaymentWithdrawalInput!
    ): LiquidityMutationResponse
    "Withdraw the web-monetization liquidity a wallet address received"
    createWalletAddressWithdrawal(
      input: CreateWalletAddressWithdrawalInput!
    ): WalletAddressWithdrawalMutationResponse
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

  input CreateIncomingPaymentWithdrawalInput {
    "The id of the incoming payment to withdraw from"
    incomingPaymentId: String!
    idempotencyKey: String!
    "Seconds until a pending withdrawal expires; 0 withdraws at once"
    timeoutSeconds: UInt64!
  }

  input CreateWalletAddressWithdrawalInput {
    "The id of the wallet address to withdraw from"
    walletAddressId: String!
    "The id of the withdrawal"
    id: String!
    idempotencyKey: String!
    "Seconds until a pending withdrawal expires; 0 withdraws at once"
    timeoutSeconds: UInt64!
  }

  type LiquidityMutationResponse {
    success: Boolean!
  }

  type WalletAddressWithdrawal {
    "Withdrawal id"
    id: ID!
    "Amount withdrawn"
    amount: UInt64!
    walletAddress: WalletAddress!
  }

  type WalletAddressWithdrawalMutationResponse {
    withdrawal: WalletAddressWithdrawal
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
