// The yoga server both admin APIs share (the node's, and the authorization server's when it runs
// alone): coded errors and the client's own mistakes pass through, anything else is logged and
// masked as INTERNAL_SERVER_ERROR.
import { GraphQLError } from 'graphql'
import { createSchema, createYoga } from 'graphql-yoga'
import type { Logger } from '../../application/ports/logger.ts'

type SchemaDefinition = Parameters<typeof createSchema>[0]

export type AdminYogaOptions = {
  readonly typeDefs: SchemaDefinition['typeDefs']
  readonly resolvers: NonNullable<SchemaDefinition['resolvers']>
  readonly logger: Logger
  readonly graphiql: boolean
  /** Names the API in the log line of an unexpected error. */
  readonly name: string
}

// Duck-typed rather than instanceof: a runtime may load two copies of graphql (ESM and CJS).
const isGraphqlError = (error: unknown): error is GraphQLError =>
  error instanceof Error && error.name === 'GraphQLError'

const hasCode = (error: unknown): error is GraphQLError =>
  isGraphqlError(error) && typeof error.extensions?.['code'] === 'string'

export function makeAdminYoga(options: AdminYogaOptions): {
  fetch(request: Request): Response | Promise<Response>
} {
  const schema = createSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers })
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql,
    landingPage: false,
    logging: false,
    maskedErrors: {
      maskError(error): Error {
        const original = isGraphqlError(error) ? error.originalError : undefined
        if (hasCode(original)) return original
        if (hasCode(error)) return error
        // Parse and validation errors carry no original error: they are the client's.
        if (isGraphqlError(error) && original == null) return error
        // Input coercion (an unknown enum value, a string for an Int) wraps a GraphQLError.
        if (isGraphqlError(error) && isGraphqlError(original)) return error
        options.logger.error({ err: original ?? error }, `unexpected error in ${options.name}`)
        return new GraphQLError('Internal server error', {
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        })
      },
    },
  })
}
