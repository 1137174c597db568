import { signAdminRequest } from '../../adapters/http/admin-signature.ts'

export type GraphqlReply = {
  readonly status: number
  readonly data?: Record<string, unknown> | null
  readonly errors?: { message: string; extensions?: { code?: string } }[]
}

/** Posts a GraphQL operation to a running node's admin port over a real socket. */
export async function gql(
  adminUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { readonly apiSecret?: string; readonly signature?: string } = {},
): Promise<GraphqlReply> {
  const body = { query, variables }
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.signature !== undefined) headers['signature'] = options.signature
  else if (options.apiSecret !== undefined) {
    const t = Date.now()
    headers['signature'] = `t=${t}, v1=${signAdminRequest(options.apiSecret, t, body)}`
  }
  const response = await fetch(`${adminUrl}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
  const json = (await response.json()) as Omit<GraphqlReply, 'status'>
  return { status: response.status, ...json }
}

export const errorCode = (reply: GraphqlReply): string | undefined =>
  reply.errors?.[0]?.extensions?.code
