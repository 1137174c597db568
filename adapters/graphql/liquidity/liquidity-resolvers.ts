import type { Asset } from '../../../domain/assets/asset.ts'
import { err, ok, type Result } from '../../../domain/shared/result.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { CreateAssetLiquidityWithdrawal } from '../../../application/liquidity/create-asset-liquidity-withdrawal.ts'
import type {
  CreateIncomingPaymentWithdrawal,
  CreateIncomingPaymentWithdrawalError,
} from '../../../application/liquidity/create-incoming-payment-withdrawal.ts'
import type {
  CreateWalletAddressWithdrawal,
  CreateWalletAddressWithdrawalError,
} from '../../../application/liquidity/create-wallet-address-withdrawal.ts'
import type { DepositAssetLiquidity } from '../../../application/liquidity/deposit-asset-liquidity.ts'
import {
  accountingTransfersLimitMax,
  type AccountingTransfer,
  type GetAccountingTransfers,
} from '../../../application/liquidity/get-accounting-transfers.ts'
import type { GetLiquidity } from '../../../application/liquidity/get-liquidity.ts'
import type { LiquidityError } from '../../../application/liquidity/liquidity-errors.ts'
import type { SettleLiquidityWithdrawal } from '../../../application/liquidity/settle-liquidity-withdrawal.ts'
import { graphqlError, type ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type LiquidityResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly getLiquidity: GetLiquidity
  readonly depositAssetLiquidity: DepositAssetLiquidity
  readonly createAssetLiquidityWithdrawal: CreateAssetLiquidityWithdrawal
  readonly postLiquidityWithdrawal: SettleLiquidityWithdrawal
  readonly voidLiquidityWithdrawal: SettleLiquidityWithdrawal
  readonly getAccountingTransfers: GetAccountingTransfers
  readonly createIncomingPaymentWithdrawal: CreateIncomingPaymentWithdrawal
  readonly createWalletAddressWithdrawal: CreateWalletAddressWithdrawal
}

export const liquidityErrors = {
  unknown_asset: ['NOT_FOUND', 'Unknown asset'],
  invalid_id: ['BAD_USER_INPUT', 'Invalid transfer id: a UUID is expected'],
  invalid_amount: ['BAD_USER_INPUT', 'Amount must be greater than zero'],
  invalid_timeout: ['BAD_USER_INPUT', 'timeoutSeconds must be a whole number of seconds'],
  insufficient_balance: ['FORBIDDEN', 'Insufficient transfer balance'],
  transfer_exists: ['DUPLICATE', 'Transfer already exists'],
  unknown_transfer: ['NOT_FOUND', 'Unknown transfer'],
  already_posted: ['CONFLICT', 'Transfer already posted'],
  already_voided: ['CONFLICT', 'Transfer already voided'],
  transfer_expired: ['CONFLICT', 'Transfer already expired'],
} as const satisfies Record<LiquidityError, ErrorReply>

const incomingPaymentWithdrawalErrors = {
  ...liquidityErrors,
  unknown_incoming_payment: ['NOT_FOUND', 'Unknown incoming payment'],
  incoming_payment_not_settled: [
    'BAD_USER_INPUT',
    'Incoming payment is not completed or expired yet: its liquidity is withdrawn after that',
  ],
  nothing_to_withdraw: ['BAD_USER_INPUT', 'Incoming payment received nothing to withdraw'],
} as const satisfies Record<CreateIncomingPaymentWithdrawalError, ErrorReply>

// AmountZero is FORBIDDEN in Rafiki's LiquidityError mapping.
const walletAddressWithdrawalErrors = {
  ...liquidityErrors,
  unknown_wallet_address: ['NOT_FOUND', 'Unknown wallet address'],
  amount_zero: ['FORBIDDEN', 'Transfer amount is zero'],
} as const satisfies Record<CreateWalletAddressWithdrawalError, ErrorReply>

const asSuccess = (result: Result<void, LiquidityError>) =>
  result.ok ? ok({ success: true }) : err(liquidityErrors[result.error])

type AmountInput = { assetId: string; amount: bigint; id: string }

/** timeoutSeconds is a UInt64 in Rafiki's schema; anything beyond a safe integer is refused. */
const toSeconds = (value: bigint): number =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN

const transferFields = {
  createdAt: (transfer: AccountingTransfer) => transfer.createdAt.toISOString(),
  expiresAt: (transfer: AccountingTransfer) => transfer.expiresAt?.toISOString() ?? null,
}

export function makeLiquidityResolvers(deps: LiquidityResolverDeps) {
  const mutation = idempotentMutation
  return {
    Query: {
      accountingTransfers: async (_: unknown, args: { id: string; limit?: number | null }) => {
        const limit = args.limit ?? 20
        if (!Number.isInteger(limit) || limit < 1 || limit > accountingTransfersLimitMax) {
          throw graphqlError(['BAD_USER_INPUT', 'limit must be from 1 to 100'])
        }
        return deps.getAccountingTransfers(args.id, limit)
      },
    },
    Mutation: {
      depositAssetLiquidity: mutation(deps.runIdempotent, async (input: AmountInput) =>
        asSuccess(await deps.depositAssetLiquidity(input)),
      ),
      createAssetLiquidityWithdrawal: mutation(
        deps.runIdempotent,
        async (input: AmountInput & { timeoutSeconds: bigint }) =>
          asSuccess(
            await deps.createAssetLiquidityWithdrawal({
              ...input,
              timeoutSeconds: toSeconds(input.timeoutSeconds),
            }),
          ),
      ),
      postLiquidityWithdrawal: mutation(
        deps.runIdempotent,
        async (input: { withdrawalId: string }) =>
          asSuccess(await deps.postLiquidityWithdrawal(input.withdrawalId)),
      ),
      voidLiquidityWithdrawal: mutation(
        deps.runIdempotent,
        async (input: { withdrawalId: string }) =>
          asSuccess(await deps.voidLiquidityWithdrawal(input.withdrawalId)),
      ),
      createIncomingPaymentWithdrawal: mutation(
        deps.runIdempotent,
        async (input: { incomingPaymentId: string; timeoutSeconds: bigint }) => {
          const result = await deps.createIncomingPaymentWithdrawal({
            incomingPaymentId: input.incomingPaymentId,
            timeoutSeconds: toSeconds(input.timeoutSeconds),
          })
          return result.ok
            ? ok({ success: true })
            : err(incomingPaymentWithdrawalErrors[result.error])
        },
      ),
      createWalletAddressWithdrawal: mutation(
        deps.runIdempotent,
        async (input: { walletAddressId: string; id: string; timeoutSeconds: bigint }) => {
          const result = await deps.createWalletAddressWithdrawal({
            walletAddressId: input.walletAddressId,
            id: input.id,
            timeoutSeconds: toSeconds(input.timeoutSeconds),
          })
          return result.ok
            ? ok({ withdrawal: result.value })
            : err(walletAddressWithdrawalErrors[result.error])
        },
      ),
    },
    Asset: {
      liquidity: (asset: Asset) => deps.getLiquidity(asset.id).then((value) => value ?? null),
    },
    AccountingTransfer: transferFields,
  }
}
