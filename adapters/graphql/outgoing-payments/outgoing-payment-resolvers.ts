import type { Amount } from '../../../domain/incoming-payments/incoming-payment.ts'
import type { OutgoingPayment } from '../../../domain/outgoing-payments/outgoing-payment.ts'
import type { PageArgs } from '../../../domain/pagination/page.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import type { JsonObject } from '../../../domain/webhooks/webhook-event.ts'
import type { WalletAddress } from '../../../domain/wallet-addresses/wallet-address.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { GetLiquidity } from '../../../application/liquidity/get-liquidity.ts'
import type { CancelOutgoingPayment } from '../../../application/outgoing-payments/cancel-outgoing-payment.ts'
import type { CreateOutgoingPaymentFromIncomingPayment } from '../../../application/outgoing-payments/create-outgoing-payment-from-incoming-payment.ts'
import type {
  CreateOutgoingPayment,
  CreateOutgoingPaymentError,
} from '../../../application/outgoing-payments/create-outgoing-payment.ts'
import type {
  CreateOutgoingPaymentWithdrawal,
  CreateOutgoingPaymentWithdrawalError,
} from '../../../application/outgoing-payments/create-outgoing-payment-withdrawal.ts'
import type {
  DepositOutgoingPaymentLiquidity,
  DepositOutgoingPaymentLiquidityError,
} from '../../../application/outgoing-payments/deposit-outgoing-payment-liquidity.ts'
import type { GetOutgoingPayment } from '../../../application/outgoing-payments/get-outgoing-payment.ts'
import type {
  ListOutgoingPayments,
  ListOutgoingPaymentsError,
} from '../../../application/outgoing-payments/list-outgoing-payments.ts'
import type { UnknownOrWrongState } from '../../../application/ports/outgoing-payment-repository.ts'
import type { GetQuote } from '../../../application/quotes/get-quote.ts'
import type { CreateQuoteError } from '../../../application/quotes/create-quote.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'
import { liquidityErrors } from '../liquidity/liquidity-resolvers.ts'
import { idempotentMutation } from '../mutation.ts'
import { quoteErrors } from '../quotes/quote-resolvers.ts'

export type OutgoingPaymentResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly getLiquidity: GetLiquidity
  readonly getQuote: GetQuote
  readonly createOutgoingPayment: CreateOutgoingPayment
  readonly createOutgoingPaymentFromIncomingPayment: CreateOutgoingPaymentFromIncomingPayment
  readonly getOutgoingPayment: GetOutgoingPayment
  readonly listOutgoingPayments: ListOutgoingPayments
  readonly cancelOutgoingPayment: CancelOutgoingPayment
  readonly depositOutgoingPaymentLiquidity: DepositOutgoingPaymentLiquidity
  readonly createOutgoingPaymentWithdrawal: CreateOutgoingPaymentWithdrawal
}

// Codes and messages as Rafiki's (open_payments/payment/outgoing/errors.ts).
const stateErrors = {
  unknown_outgoing_payment: ['NOT_FOUND', 'unknown payment'],
  wrong_state: ['BAD_USER_INPUT', 'wrong state'],
} as const satisfies Record<UnknownOrWrongState, ErrorReply>

const createErrors = {
  unknown_wallet_address: ['NOT_FOUND', 'unknown wallet address'],
  inactive_wallet_address: ['INACTIVE', 'inactive wallet address'],
  unknown_quote: ['NOT_FOUND', 'unknown quote'],
  invalid_quote: ['BAD_USER_INPUT', 'invalid quote'],
  // Only Open Payments passes grant limits; the admin API never meets this one.
  insufficient_grant: ['FORBIDDEN', 'unauthorized'],
} as const satisfies Record<CreateOutgoingPaymentError, ErrorReply>

const fromIncomingErrors = { ...quoteErrors, ...createErrors } as const satisfies Record<
  CreateQuoteError | CreateOutgoingPaymentError,
  ErrorReply
>

const depositErrors = {
  ...liquidityErrors,
  unknown_outgoing_payment: ['NOT_FOUND', 'Unknown outgoing payment'],
  wrong_state: ['BAD_USER_INPUT', 'Outgoing payment is not in the FUNDING state'],
} as const satisfies Record<DepositOutgoingPaymentLiquidityError, ErrorReply>

const withdrawalErrors = {
  ...liquidityErrors,
  unknown_outgoing_payment: ['NOT_FOUND', 'Unknown outgoing payment'],
  outgoing_payment_not_settled: [
    'BAD_USER_INPUT',
    'Outgoing payment is not completed or failed yet: its liquidity is withdrawn after that',
  ],
  nothing_to_withdraw: ['BAD_USER_INPUT', 'Outgoing payment has no liquidity to withdraw'],
} as const satisfies Record<CreateOutgoingPaymentWithdrawalError, ErrorReply>

const listErrors = {
  ...pageErrors,
  filter_too_long: ['BAD_USER_INPUT', 'A state filter lists at most 10 values'],
} as const satisfies Record<ListOutgoingPaymentsError, ErrorReply>

const notFound: ErrorReply = ['NOT_FOUND', 'payment does not exist']

/** timeoutSeconds is a UInt64 in Rafiki's schema; anything beyond a safe integer is refused. */
const toSeconds = (value: bigint): number =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN

type FilterArgs = PageArgs & {
  filter?: {
    receiver?: { in: string[] } | null
    walletAddressId?: { in: string[] } | null
    state?: { in: string[] } | null
  } | null
}

// Rafiki's filter takes `in` lists; one value each is what its service queries by.
const single = (list: { in: string[] } | null | undefined): string | undefined | null =>
  list == null ? undefined : list.in.length === 1 ? list.in[0] : null

export function makeOutgoingPaymentResolvers(deps: OutgoingPaymentResolverDeps) {
  const paymentOf = (result: Awaited<ReturnType<CreateOutgoingPayment>>) =>
    result.ok ? ok({ payment: result.value }) : err(createErrors[result.error])
  return {
    Query: {
      outgoingPayment: async (_: unknown, args: { id: string }) => {
        const payment = await deps.getOutgoingPayment(args.id)
        if (!payment) throw graphqlError(notFound)
        return payment
      },
      outgoingPayments: async (_: unknown, { filter, ...page }: FilterArgs) => {
        const walletAddressId = single(filter?.walletAddressId)
        const receiver = single(filter?.receiver)
        // Several wallet addresses or receivers at once: not supported, matches nothing.
        if (walletAddressId === null || receiver === null) {
          return toConnection({ items: [], hasNextPage: false, hasPreviousPage: false })
        }
        const result = await deps.listOutgoingPayments({
          ...page,
          walletAddressId,
          receiver,
          states: filter?.state?.in ?? null,
        })
        if (!result.ok) throw graphqlError(listErrors[result.error])
        return toConnection(result.value)
      },
    },
    Mutation: {
      createOutgoingPayment: idempotentMutation(
        deps.runIdempotent,
        async (input: { walletAddressId: string; quoteId: string; metadata?: JsonObject | null }) =>
          paymentOf(await deps.createOutgoingPayment(input)),
      ),
      createOutgoingPaymentFromIncomingPayment: idempotentMutation(
        deps.runIdempotent,
        async (input: {
          walletAddressId: string
          incomingPayment: string
          debitAmount: Amount
          metadata?: JsonObject | null
        }) => {
          const result = await deps.createOutgoingPaymentFromIncomingPayment(input)
          return result.ok ? ok({ payment: result.value }) : err(fromIncomingErrors[result.error])
        },
      ),
      cancelOutgoingPayment: idempotentMutation(
        deps.runIdempotent,
        async (input: { id: string; reason?: string | null }) => {
          const result = await deps.cancelOutgoingPayment(input)
          return result.ok ? ok({ payment: result.value }) : err(stateErrors[result.error])
        },
      ),
      depositOutgoingPaymentLiquidity: idempotentMutation(
        deps.runIdempotent,
        async (input: { outgoingPaymentId: string }) => {
          const result = await deps.depositOutgoingPaymentLiquidity(input)
          return result.ok ? ok({ success: true }) : err(depositErrors[result.error])
        },
      ),
      createOutgoingPaymentWithdrawal: idempotentMutation(
        deps.runIdempotent,
        async (input: { outgoingPaymentId: string; timeoutSeconds: bigint }) => {
          const result = await deps.createOutgoingPaymentWithdrawal({
            outgoingPaymentId: input.outgoingPaymentId,
            timeoutSeconds: toSeconds(input.timeoutSeconds),
          })
          return result.ok ? ok({ success: true }) : err(withdrawalErrors[result.error])
        },
      ),
    },
    OutgoingPayment: {
      liquidity: async (payment: OutgoingPayment) => (await deps.getLiquidity(payment.id)) ?? null,
      quote: (payment: OutgoingPayment) => deps.getQuote(payment.quoteId),
      createdAt: (payment: OutgoingPayment) => payment.createdAt.toISOString(),
    },
    WalletAddress: {
      outgoingPayments: async (walletAddress: WalletAddress, args: PageArgs) => {
        const page = await deps.listOutgoingPayments({ ...args, walletAddressId: walletAddress.id })
        if (!page.ok) throw graphqlError(listErrors[page.error])
        return toConnection(page.value)
      },
    },
  }
}
