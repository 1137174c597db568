import type { PageArgs } from '../../../domain/pagination/page.ts'
import type { Payment } from '../../../domain/payments/payment.ts'
import type { GetLiquidity } from '../../../application/liquidity/get-liquidity.ts'
import {
  paymentFilterValuesMax,
  type ListPayments,
  type ListPaymentsError,
} from '../../../application/payments/list-payments.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'

export type PaymentResolverDeps = {
  readonly listPayments: ListPayments
  readonly getLiquidity: GetLiquidity
}

const listErrors = {
  ...pageErrors,
  filter_too_long: ['BAD_USER_INPUT', `A filter lists at most ${paymentFilterValuesMax} values`],
} as const satisfies Record<ListPaymentsError, ErrorReply>

type Args = PageArgs & {
  filter?: {
    type?: { in: string[] } | null
    walletAddressId?: { in: string[] } | null
  } | null
}

export function makePaymentResolvers(deps: PaymentResolverDeps) {
  return {
    Query: {
      payments: async (_: unknown, { filter, ...page }: Args) => {
        const result = await deps.listPayments({
          ...page,
          types: filter?.type?.in ?? null,
          walletAddressIds: filter?.walletAddressId?.in ?? null,
        })
        if (!result.ok) throw graphqlError(listErrors[result.error])
        return toConnection(result.value)
      },
    },
    Payment: {
      liquidity: async (payment: Payment) => (await deps.getLiquidity(payment.id)) ?? null,
      createdAt: (payment: Payment) => payment.createdAt.toISOString(),
    },
  }
}
