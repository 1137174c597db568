// Names follow Rafiki's backend schema.graphql (v1.x). Needs amountTypeDefs (../amount-schema.ts).
export const receiverTypeDefs = /* GraphQL */ `
  type Query {
    "Get an local or remote Open Payments Incoming Payment. The receiver has a wallet address on either this or another Open Payments resource server."
    receiver(id: String!): Receiver
  }

  type Mutation {
    "Create an internal or external Open Payments Incoming Payment. The receiver has a wallet address on either this or another Open Payments resource server."
    createReceiver(input: CreateReceiverInput!): CreateReceiverResponse!
  }

  type Receiver {
    "Incoming payment URL"
    id: String!
    "Wallet address URL under which the incoming payment was created"
    walletAddressUrl: String!
    "Describes whether the incoming payment has completed receiving funds."
    completed: Boolean!
    "The maximum amount that should be paid into the wallet address under this incoming payment."
    incomingAmount: Amount
    "The total amount that has been paid into the wallet address under this incoming payment."
    receivedAmount: Amount!
    "Date-time of expiry. After this time, the incoming payment will accept further payments made to it."
    expiresAt: String
    "Additional metadata associated with the incoming payment."
    metadata: JSONObject
    "Date-time of creation"
    createdAt: String!
    "Date-time of last update"
    updatedAt: String!
  }

  input CreateReceiverInput {
    "Receiving wallet address URL"
    walletAddressUrl: String!
    "Expiration date-time"
    expiresAt: String
    "Maximum amount to be received"
    incomingAmount: AmountInput
    "Additional metadata associated with the incoming payment."
    metadata: JSONObject
    "Unique key to ensure duplicate or retried requests are processed only once. See [idempotence](https://en.wikipedia.org/wiki/Idempotence)"
    idempotencyKey: String
  }

  type CreateReceiverResponse {
    receiver: Receiver
  }
`
