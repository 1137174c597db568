import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { IncomingPaymentRepository } from '../ports/incoming-payment-repository.ts'

/**
 * A wallet address's incoming payments, only those `client` created when it is given; an unknown
 * wallet address simply has none.
 */
export type ListIncomingPayments = (
  walletAddressId: string,
  args: PageArgs,
  client?: string,
) => Promise<Result<Page<IncomingPayment>, PageError>>

export const makeListIncomingPayments =
  (deps: { readonly incomingPayments: IncomingPaymentRepository }): ListIncomingPayments =>
  async (walletAddressId, args, client) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    if (!isUuid(walletAddressId)) {
      return ok({ items: [], hasNextPage: false, hasPreviousPage: false })
    }
    const page = await deps.incomingPayments.listByWalletAddress(
      walletAddressId,
      request.value,
      client,
    )
    return page.ok ? page : err('invalid_cursor')
  }
