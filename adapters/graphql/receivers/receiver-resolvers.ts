import type { Amount } from '../../../domain/incoming-payments/incoming-payment.ts'
import type { Receiver } from '../../../domain/receivers/receiver.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import type { JsonObject } from '../../../domain/webhooks/webhook-event.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { ReceiverError, Receivers } from '../../../application/ports/receivers.ts'
import { graphqlError, type ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type ReceiverResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly receivers: Receivers
}

// Codes and messages as Rafiki's (open_payments/receiver/errors.ts: the incoming payment and
// remote incoming payment errors).
const receiverErrors = {
  unknown_receiver: ['NOT_FOUND', 'unknown incoming payment'],
  receiver_unreachable: ['BAD_USER_INPUT', 'invalid remote incoming payment request'],
  unknown_wallet_address: ['NOT_FOUND', 'unknown wallet address'],
  invalid_amount: ['BAD_USER_INPUT', 'invalid amount'],
  invalid_expiry: ['BAD_USER_INPUT', 'invalid expiresAt'],
} as const satisfies Record<ReceiverError, ErrorReply>

const receiverNotFound: ErrorReply = ['NOT_FOUND', 'receiver does not exist']

type CreateReceiverArgs = {
  walletAddressUrl: string
  expiresAt?: string | null
  metadata?: JsonObject | null
  incomingAmount?: Amount | null
}

export function makeReceiverResolvers(deps: ReceiverResolverDeps) {
  return {
    Query: {
      receiver: async (_: unknown, args: { id: string }) => {
        const found = await deps.receivers.get(args.id)
        if (found.ok) return found.value
        throw graphqlError(
          found.error === 'unknown_receiver' ? receiverNotFound : receiverErrors[found.error],
        )
      },
    },
    Mutation: {
      createReceiver: idempotentMutation(deps.runIdempotent, async (input: CreateReceiverArgs) => {
        // Date-times as Rafiki reads them (new Date(string)); one that does not parse is refused.
        const expiresAt = input.expiresAt == null ? undefined : new Date(input.expiresAt)
        if (expiresAt && Number.isNaN(expiresAt.getTime())) {
          return err(receiverErrors.invalid_expiry)
        }
        const created = await deps.receivers.create({
          walletAddressUrl: input.walletAddressUrl,
          ...(expiresAt && { expiresAt }),
          ...(input.incomingAmount && { incomingAmount: input.incomingAmount }),
          ...(input.metadata && { metadata: input.metadata }),
        })
        if (!created.ok) return err(receiverErrors[created.error])
        // The outcome may be stored for replay (idempotencyKey): no STREAM secret goes with it.
        return ok({ receiver: { ...created.value, ilp: null } })
      }),
    },
    Receiver: {
      expiresAt: (receiver: Receiver) => receiver.expiresAt?.toISOString() ?? null,
      createdAt: (receiver: Receiver) => receiver.createdAt.toISOString(),
      updatedAt: (receiver: Receiver) => receiver.updatedAt.toISOString(),
    },
  }
}
