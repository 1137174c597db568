import { connectionArgs } from '../connection.ts'

// Names follow Rafiki's backend schema.graphql (v1.x). Needs amountTypeDefs, quoteTypeDefs,
// webhookTypeDefs (FilterString) and liquidityTypeDefs (LiquidityMutationResponse).
export const outgoingPaymentTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch an outgoing payment by id"
    outgoingPayment(id: String!): OutgoingPayment
    "Fetch a page of outgoing payments"
    outgoingPayments(${connectionArgs}, filter: OutgoingPaymentFilter): OutgoingPaymentConnection!
  }

  type Mutation {
    "Create an outgoing payment from a quote"
    createOutgoingPayment(input: CreateOutgoingPaymentInput!): OutgoingPaymentResponse!
    "Create an outgoing payment from an incoming payment (quoted with the debit amount)"
    createOutgoingPaymentFromIncomingPayment(
      input: CreateOutgoingPaymentFromIncomingPaymentInput!
    ): OutgoingPaymentResponse!
    "Cancel an outgoing payment that is still FUNDING"
    cancelOutgoingPayment(input: CancelOutgoingPaymentInput!): OutgoingPaymentResponse!
    "Fund an outgoing payment with its debit amount; it starts SENDING"
    depositOutgoingPaymentLiquidity(
      input: DepositOutgoingPaymentLiquidityInput!
    ): LiquidityMutationResponse
    "Withdraw what a completed or failed outgoing payment did not spend"
    createOutgoingPaymentWithdrawal(
      input: CreateOutgoingPaymentWithdrawalInput!
    ): LiquidityMutationResponse
  }

  type WalletAddress {
    "List of outgoing payments sent from this wallet address"
    outgoingPayments(${connectionArgs}): OutgoingPaymentConnection
  }

  type OutgoingPayment implements Model {
    id: ID!
    walletAddressId: ID!
    "Available liquidity"
    liquidity: UInt64
    state: OutgoingPaymentState!
    error: String
    stateAttempts: Int!
    debitAmount: Amount!
    receiveAmount: Amount!
    "Incoming payment URL of the receiver"
    receiver: String!
    metadata: JSONObject
    quote: Quote
    sentAmount: Amount!
    createdAt: String!
    "Id of the Open Payments grant it was created under"
    grantId: String
  }

  enum OutgoingPaymentState {
    "Will transition to SENDING once payment funds are reserved"
    FUNDING
    "Paying, will transition to COMPLETED on success"
    SENDING
    "Successful completion"
    COMPLETED
    "Payment failed"
    FAILED
    "Payment cancelled"
    CANCELLED
  }

  input OutgoingPaymentFilter {
    receiver: FilterString
    walletAddressId: FilterString
    state: FilterString
  }

  type OutgoingPaymentConnection {
    pageInfo: PageInfo!
    edges: [OutgoingPaymentEdge!]!
  }

  type OutgoingPaymentEdge {
    node: OutgoingPayment!
    cursor: String!
  }

  input CreateOutgoingPaymentInput {
    walletAddressId: String!
    quoteId: String!
    metadata: JSONObject
    idempotencyKey: String
  }

  input CreateOutgoingPaymentFromIncomingPaymentInput {
    walletAddressId: String!
    "Incoming payment URL to pay"
    incomingPayment: String!
    debitAmount: AmountInput!
    metadata: JSONObject
    idempotencyKey: String
  }

  input CancelOutgoingPaymentInput {
    id: ID!
    "Kept in the payment's metadata as cancellationReason"
    reason: String
    idempotencyKey: String
  }

  input DepositOutgoingPaymentLiquidityInput {
    outgoingPaymentId: String!
    idempotencyKey: String!
  }

  input CreateOutgoingPaymentWithdrawalInput {
    outgoingPaymentId: String!
    idempotencyKey: String!
    "Seconds until a pending withdrawal expires; 0 withdraws at once"
    timeoutSeconds: UInt64!
  }

  type OutgoingPaymentResponse {
    payment: OutgoingPayment
  }
`
