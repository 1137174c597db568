import { connectionArgs } from '../connection.ts'

// Names follow Rafiki's backend schema.graphql (v1.x). Needs amountTypeDefs (../amount-schema.ts).
export const incomingPaymentTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch an incoming payment by id"
    incomingPayment(id: String!): IncomingPayment
  }

  type Mutation {
    "Create an internal incoming payment"
    createIncomingPayment(input: CreateIncomingPaymentInput!): IncomingPaymentResponse!
    "Update an incoming payment's metadata"
    updateIncomingPayment(input: UpdateIncomingPaymentInput!): IncomingPaymentResponse!
    "Approve an incoming payment"
    approveIncomingPayment(input: ApproveIncomingPaymentInput!): ApproveIncomingPaymentResponse!
    "Cancel an incoming payment"
    cancelIncomingPayment(input: CancelIncomingPaymentInput!): CancelIncomingPaymentResponse!
  }

  type WalletAddress {
    "List of incoming payments received by this wallet address"
    incomingPayments(${connectionArgs}): IncomingPaymentConnection
  }

  type IncomingPayment implements Model {
    id: ID!
    walletAddressId: ID!
    "Available liquidity"
    liquidity: UInt64
    state: IncomingPaymentState!
    "Date-time of expiry; no more payments are received after it"
    expiresAt: String!
    "The maximum amount that should be paid into the wallet address under this incoming payment"
    incomingAmount: Amount
    "The total amount that has been paid into the wallet address under this incoming payment"
    receivedAmount: Amount!
    "Additional metadata associated with the incoming payment"
    metadata: JSONObject
    createdAt: String!
  }

  enum IncomingPaymentState {
    "The payment has a state of PENDING when it is initially created"
    PENDING
    "As soon as payment has started (funds have cleared into the account) the state moves to PROCESSING"
    PROCESSING
    "The payment is either auto-completed once the received amount equals the expected incomingAmount, or it is completed manually via an API call"
    COMPLETED
    "If the payment expires before it is completed then the state will move to EXPIRED and no further payments will be accepted"
    EXPIRED
  }

  type IncomingPaymentConnection {
    pageInfo: PageInfo!
    edges: [IncomingPaymentEdge!]!
  }

  type IncomingPaymentEdge {
    node: IncomingPayment!
    cursor: String!
  }

  input CreateIncomingPaymentInput {
    "Id of the wallet address under which the incoming payment will be created"
    walletAddressId: String!
    "Expiration date-time"
    expiresAt: String
    "Additional metadata associated with the incoming payment"
    metadata: JSONObject
    "Maximum amount to be received"
    incomingAmount: AmountInput
    idempotencyKey: String
  }

  input UpdateIncomingPaymentInput {
    id: ID!
    metadata: JSONObject!
    idempotencyKey: String
  }

  input ApproveIncomingPaymentInput {
    id: ID!
    idempotencyKey: String
  }

  input CancelIncomingPaymentInput {
    id: ID!
    idempotencyKey: String
  }

  type IncomingPaymentResponse {
    payment: IncomingPayment
  }

  type ApproveIncomingPaymentResponse {
    payment: IncomingPayment
  }

  type CancelIncomingPaymentResponse {
    payment: IncomingPayment
  }
`
