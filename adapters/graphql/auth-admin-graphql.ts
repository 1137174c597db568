// The admin API of the authorization server run alone (`npm run start:auth`, Rafiki's auth
// service on its ADMIN_PORT): grants, grant and revokeGrant only. The node's admin API serves
// the same fields among its own (admin-graphql.ts).
import type { Logger } from '../../application/ports/logger.ts'
import { makeAdminYoga } from './admin-yoga.ts'
import { baseTypeDefs } from './base-schema.ts'
import { makeGrantResolvers, type GrantResolverDeps } from './grants/grant-resolvers.ts'
import { filterStringTypeDefs, grantTypeDefs } from './grants/grant-schema.ts'
import { JSONObject, UInt64, UInt8 } from './scalars.ts'

export type AuthAdminGraphqlDeps = GrantResolverDeps & {
  readonly logger: Logger
  readonly graphiql: boolean
}

export function makeAuthAdminGraphql(deps: AuthAdminGraphqlDeps): {
  fetch(request: Request): Response | Promise<Response>
} {
  return makeAdminYoga({
    name: 'auth admin API',
    logger: deps.logger,
    graphiql: deps.graphiql,
    typeDefs: [baseTypeDefs, grantTypeDefs, filterStringTypeDefs],
    resolvers: [{ UInt8, UInt64, JSONObject }, makeGrantResolvers(deps)],
  })
}
