import { connectionArgs } from '../connection.ts'

export const webhookTypeDefs = /* GraphQL */ `
  type Query {
    "Fetch a page of webhook events"
    webhookEvents(${connectionArgs}, filter: WebhookEventFilter): WebhookEventsConnection!
  }

  input WebhookEventFilter {
    type: FilterString
  }

  input FilterString {
    in: [String!]!
  }

  type WebhookEvent implements Model {
    id: ID!
    type: String!
    data: JSONObject!
    createdAt: String!
  }

  type WebhookEventsEdge {
    node: WebhookEvent!
    cursor: String!
  }

  type WebhookEventsConnection {
    pageInfo: PageInfo!
    edges: [WebhookEventsEdge!]!
  }
`
