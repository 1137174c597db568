import { connectionArgs } from '../connection.ts'

// Names follow Rafiki's backend schema.graphql (v1.x). Needs webhookTypeDefs (FilterString).
export const paymentTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch a page of payments, incoming and outgoing together"
    payments(${connectionArgs}, filter: PaymentFilter): PaymentConnection!
  }

  input PaymentFilter {
    "INCOMING and/or OUTGOING"
    type: FilterString
    walletAddressId: FilterString
  }

  enum PaymentType {
    INCOMING
    OUTGOING
  }

  type Payment implements Model {
    id: ID!
    type: PaymentType!
    "Id of the wallet address under which the payment was created"
    walletAddressId: ID!
    "Wallet address URL of the Open Payments client that created the payment"
    client: String
    "Either an IncomingPaymentState or an OutgoingPaymentState, according to type"
    state: String!
    metadata: JSONObject
    "Available liquidity"
    liquidity: UInt64
    createdAt: String!
  }

  type PaymentConnection {
    pageInfo: PageInfo!
    edges: [PaymentEdge!]!
  }

  type PaymentEdge {
    node: Payment!
    cursor: String!
  }
`
