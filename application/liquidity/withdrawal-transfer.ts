import type { Asset } from '../../domain/assets/asset.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'

export type WithdrawalTransferInput = {
  /** The transfer id: postLiquidityWithdrawal and voidLiquidityWithdrawal take it. */
  readonly id: string
  /** The liquidity account the money leaves, for the asset's settlement account. */
  readonly accountId: string
  readonly asset: Asset
  readonly amount: bigint
  /** > 0: a pending withdrawal, posted or voided later; 0: withdrawn at once. */
  readonly timeoutSeconds: number
}

/** Rafiki's timeoutSeconds: a whole number of seconds, 0 for a withdrawal without a hold. */
export const isWithdrawalTimeout = (seconds: number): boolean =>
  Number.isSafeInteger(seconds) && seconds >= 0

/** The ledger transfer of an operator's withdrawal, as Rafiki's accounting createWithdrawal. */
export function withdrawalTransfer(input: WithdrawalTransferInput): TransferRequest {
  const transfer = {
    id: input.id,
    debitAccountId: input.accountId,
    creditAccountId: settlementAccountId(input.asset.id),
    amount: input.amount,
    ledger: input.asset.ledger,
  }
  return input.timeoutSeconds > 0
    ? { type: 'pending', ...transfer, timeoutSeconds: input.timeoutSeconds }
    : { type: 'single', ...transfer }
}
