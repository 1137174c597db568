import type { Amount, IncomingPayment } from '../../../domain/incoming-payments/incoming-payment.ts'
import type { PageArgs } from '../../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../../domain/shared/result.ts'
import type { JsonObject } from '../../../domain/webhooks/webhook-event.ts'
import type { WalletAddress } from '../../../domain/wallet-addresses/wallet-address.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { ApproveIncomingPayment } from '../../../application/incoming-payments/approve-incoming-payment.ts'
import type { CancelIncomingPayment } from '../../../application/incoming-payments/cancel-incoming-payment.ts'
import type {
  CreateIncomingPayment,
  CreateIncomingPaymentError,
} from '../../../application/incoming-payments/create-incoming-payment.ts'
import type { GetIncomingPayment } from '../../../application/incoming-payments/get-incoming-payment.ts'
import type { ListIncomingPayments } from '../../../application/incoming-payments/list-incoming-payments.ts'
import type {
  UpdateIncomingPayment,
  UpdateIncomingPaymentError,
} from '../../../application/incoming-payments/update-incoming-payment.ts'
import type { ActionError } from '../../../application/ports/incoming-payment-repository.ts'
import type { GetLiquidity } from '../../../application/liquidity/get-liquidity.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type IncomingPaymentResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly createIncomingPayment: CreateIncomingPayment
  readonly updateIncomingPayment: UpdateIncomingPayment
  readonly approveIncomingPayment: ApproveIncomingPayment
  readonly cancelIncomingPayment: CancelIncomingPayment
  readonly getIncomingPayment: GetIncomingPayment
  readonly listIncomingPayments: ListIncomingPayments
  readonly getLiquidity: GetLiquidity
}

// Codes and messages as Rafiki's (open_payments/payment/incoming/errors.ts).
const incomingPaymentErrors = {
  unknown_wallet_address: ['NOT_FOUND', 'unknown wallet address'],
  inactive_wallet_address: ['INACTIVE', 'inactive wallet address'],
  invalid_expiry: ['BAD_USER_INPUT', 'invalid expiresAt'],
  invalid_amount: ['BAD_USER_INPUT', 'invalid amount'],
  unknown_incoming_payment: ['NOT_FOUND', 'unknown payment'],
  wrong_state: ['CONFLICT', 'wrong state'],
  already_actioned: ['FORBIDDEN', 'action already performed'],
} as const satisfies Record<
  CreateIncomingPaymentError | UpdateIncomingPaymentError | ActionError,
  ErrorReply
>

type CreateIncomingPaymentArgs = {
  walletAddressId: string
  expiresAt?: string | null
  metadata?: JsonObject | null
  incomingAmount?: Amount | null
}

const payload = (result: Result<IncomingPayment, keyof typeof incomingPaymentErrors>) =>
  result.ok ? ok({ payment: result.value }) : err(incomingPaymentErrors[result.error])

// Date-times as Rafiki reads them (new Date(string)); one that does not parse is refused.
const parseExpiresAt = (value: string | null | undefined): Date | null | undefined =>
  value == null ? value : new Date(value)

export function makeIncomingPaymentResolvers(deps: IncomingPaymentResolverDeps) {
  const byId = (run: (id: string) => Promise<Result<IncomingPayment, ActionError>>) =>
    idempotentMutation(deps.runIdempotent, async (input: { id: string }) =>
      payload(await run(input.id)),
    )
  return {
    Query: {
      incomingPayment: async (_: unknown, args: { id: string }) => {
        const payment = await deps.getIncomingPayment(args.id)
        if (!payment) throw graphqlError(incomingPaymentErrors.unknown_incoming_payment)
        return payment
      },
    },
    Mutation: {
      createIncomingPayment: idempotentMutation(
        deps.runIdempotent,
        async (input: CreateIncomingPaymentArgs) =>
          payload(
            await deps.createIncomingPayment({
              ...input,
              expiresAt: parseExpiresAt(input.expiresAt),
            }),
          ),
      ),
      updateIncomingPayment: idempotentMutation(
        deps.runIdempotent,
        async (input: { id: string; metadata: JsonObject }) =>
          payload(await deps.updateIncomingPayment(input)),
      ),
      approveIncomingPayment: byId(deps.approveIncomingPayment),
      cancelIncomingPayment: byId(deps.cancelIncomingPayment),
    },
    IncomingPayment: {
      liquidity: async (payment: IncomingPayment) => (await deps.getLiquidity(payment.id)) ?? null,
      expiresAt: (payment: IncomingPayment) => payment.expiresAt.toISOString(),
      createdAt: (payment: IncomingPayment) => payment.createdAt.toISOString(),
    },
    WalletAddress: {
      incomingPayments: async (walletAddress: WalletAddress, args: PageArgs) => {
        const page = await deps.listIncomingPayments(walletAddress.id, args)
        if (!page.ok) throw graphqlError(pageErrors[page.error])
        return toConnection(page.value)
      },
    },
  }
}
