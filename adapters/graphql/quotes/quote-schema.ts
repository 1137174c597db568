import { connectionArgs } from '../connection.ts'

// Names follow Rafiki's backend schema.graphql (v1.x). Needs amountTypeDefs (../amount-schema.ts).
// The four ILP fields are the ones Rafiki's earlier v1 releases had on Quote (older ASEs still
// ask for them); they are null for a quote paid on this node (LOCAL).
export const quoteTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch an Open Payments quote"
    quote(id: String!): Quote
  }

  type Mutation {
    "Create an Open Payments quote"
    createQuote(input: CreateQuoteInput!): QuoteResponse!
  }

  type WalletAddress {
    "List of quotes created at this wallet address"
    quotes(${connectionArgs}): QuoteConnection
  }

  type Quote {
    "Quote id"
    id: ID!
    "Id of the wallet address under which this quote was created"
    walletAddressId: ID!
    "Incoming payment URL of the receiver"
    receiver: String!
    "Amount to send (fixed send)"
    debitAmount: Amount!
    "Amount to receive (fixed receive)"
    receiveAmount: Amount!
    "Date-time of creation"
    createdAt: String!
    "Date-time of expiration"
    expiresAt: String!
    "Estimated exchange rate"
    estimatedExchangeRate: Float
    "Maximum value per packet allowed on the possible routes (ILP quotes)"
    maxPacketAmount: UInt64
    "Aggregate exchange rate the payment is guaranteed to meet (ILP quotes)"
    minExchangeRate: Float
    "Lower bound of probed exchange rate (ILP quotes)"
    lowEstimatedExchangeRate: Float
    "Upper bound of probed exchange rate (ILP quotes)"
    highEstimatedExchangeRate: Float
  }

  type QuoteConnection {
    pageInfo: PageInfo!
    edges: [QuoteEdge!]!
  }

  type QuoteEdge {
    node: Quote!
    cursor: String!
  }

  input CreateQuoteInput {
    "Id of the wallet address under which the quote will be created"
    walletAddressId: String!
    "Amount to send (fixed send)"
    debitAmount: AmountInput
    "Amount to receive (fixed receive)"
    receiveAmount: AmountInput
    "Incoming payment URL of the receiver"
    receiver: String!
    idempotencyKey: String
  }

  type QuoteResponse {
    quote: Quote
  }
`
