import type { GraphQLResolveInfo } from 'graphql'
import { canonicalJson } from '../../domain/shared/canonical-json.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { RunIdempotent } from '../../application/admin/run-idempotent.ts'
import { graphqlError, idempotencyErrors, type ErrorReply } from './errors.ts'
import { fromTagged, toTagged } from './tagged-json.ts'

export type MutationInput = { readonly idempotencyKey?: string | null }

/** What a mutation handler returns: its payload, or an error reply that is stored like one. */
export type MutationOutcome<P> = Result<P, ErrorReply>

type Handler<I, P> = (input: I) => Promise<MutationOutcome<P>>

/**
 * Wraps a mutation so that `input.idempotencyKey` is honoured: the same key and arguments replay
 * the first outcome (success or expected error), other arguments or a concurrent duplicate are
 * refused. Unexpected exceptions are not stored, so the call can be retried.
 */
export const idempotentMutation =
  <I, P>(runIdempotent: RunIdempotent, handler: Handler<I, P>) =>
  async (
    _root: unknown,
    args: { input: I & MutationInput },
    _context: unknown,
    info: GraphQLResolveInfo,
  ) => {
    const { idempotencyKey, ...rest } = args.input
    let outcome: MutationOutcome<P>
    if (idempotencyKey == null) {
      outcome = await handler(args.input)
    } else {
      const replayed = await runIdempotent({
        key: idempotencyKey,
        fingerprint: `${info.fieldName}:${canonicalJson(toTagged(rest))}`,
        run: () => handler(args.input),
        encode: (value) => JSON.stringify(toTagged(value)),
        decode: (stored) => fromTagged(JSON.parse(stored)) as MutationOutcome<P>,
      })
      if (!replayed.ok) throw graphqlError(idempotencyErrors[replayed.error])
      outcome = replayed.value
    }
    if (!outcome.ok) throw graphqlError(outcome.error)
    return outcome.value
  }
