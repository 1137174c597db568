// The admin API of the authorization server run alone (`npm run start:auth`, Rafiki's auth
// service on its ADMIN_PORT): grants, grant and revokeGrant only. The node's admin API serves
// the same fields among its own (admin-graphql.ts).
import { GraphQLError } from 'graphql'
import { createSchema, createYoga } from 'graphql-yoga'
import type { Logger } from '../../application/ports/logger.ts'
import { baseTypeDefs } from './base-schema.ts'
import { makeGrantResolvers, type GrantResolverDeps } from './grants/grant-resolvers.ts'
import { filterStringTypeDefs, grantTypeDefs } from './grants/grant-schema.ts'
import { JSONObject, UInt64, UInt8 } from './scalars.ts'

export type AuthAdminGraphqlDeps = GrantResolverDeps & {
  readonly logger: Logger
  readonly graphiql: boolean
}

// Duck-typed rather than instanceof: a runtime may load two copies of graphql (ESM and CJS).
const isGraphqlError = (error: unknown): error is GraphQLError =>
  error instanceof Error && error.name === 'GraphQLError'

const hasCode = (error: unknown): error is GraphQLError =>
  isGraphqlError(error) && typeof error.extensions?.['code'] === 'string'

export function makeAuthAdminGraphql(deps: AuthAdminGraphqlDeps): {
  fetch(request: Request): Response | Promise<Response>
} {
  const schema = createSchema({
    typeDefs: [baseTypeDefs, grantTypeDefs, filterStringTypeDefs],
    resolvers: [{ UInt8, UInt64, JSONObject }, makeGrantResolvers(deps)],
  })
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.graphiql,
    landingPage: false,
    logging: false,
    // As the node's admin API: coded errors and the client's own mistakes pass, the rest is
    // logged and masked.
    maskedErrors: {
      maskError(error): Error {
        const original = isGraphqlError(error) ? error.originalError : undefined
        if (hasCode(original)) return original
        if (hasCode(error)) return error
        if (isGraphqlError(error) && original == null) return error
        if (isGraphqlError(error) && isGraphqlError(original)) return error
        deps.logger.error({ err: original ?? error }, 'unexpected error in auth admin API')
        return new GraphQLError('Internal server error', {
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        })
      },
    },
  })
}
