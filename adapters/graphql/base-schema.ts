// Types shared by every feature's schema. Each feature declares its own `type Query` and
// `type Mutation` fields; graphql-tools merges the declarations.
export const baseTypeDefs = /* GraphQL */ `
  scalar UInt8
  scalar UInt64
  scalar JSONObject

  enum SortOrder {
    "Oldest first"
    ASC
    "Newest first"
    DESC
  }

  type PageInfo {
    "Paginating forwards: the cursor to continue."
    endCursor: String
    "Paginating forwards: are there more pages?"
    hasNextPage: Boolean!
    "Paginating backwards: are there more pages?"
    hasPreviousPage: Boolean!
    "Paginating backwards: the cursor to continue."
    startCursor: String
  }

  interface Model {
    id: ID!
    createdAt: String!
  }
`
