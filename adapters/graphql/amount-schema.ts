// Rafiki's Amount and AmountInput, shared by incoming payments, outgoing payments and quotes:
// register this once in admin-graphql's typeDefs.
export const amountTypeDefs = /* GraphQL */ `
  type Amount {
    value: UInt64!
    "Should be an ISO 4217 currency code whenever possible, e.g. USD"
    assetCode: String!
    "Difference in orders of magnitude between the standard unit and a fractional unit"
    assetScale: UInt8!
  }

  input AmountInput {
    value: UInt64!
    assetCode: String!
    assetScale: UInt8!
  }
`
