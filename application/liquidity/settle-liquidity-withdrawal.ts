import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { LiquidityError } from './liquidity-errors.ts'
import { runLiquidityTransfer } from './run-liquidity-transfer.ts'

/** postLiquidityWithdrawal and voidLiquidityWithdrawal: settle a pending withdrawal. */
export type SettleLiquidityWithdrawal = (
  withdrawalId: string,
) => Promise<Result<void, LiquidityError>>

export const makeSettleLiquidityWithdrawal =
  (
    outcome: 'post' | 'void',
    deps: { readonly ledger: Ledger; readonly ids: IdGenerator },
  ): SettleLiquidityWithdrawal =>
  async (withdrawalId) => {
    if (!isUuid(withdrawalId)) return err('unknown_transfer')
    return runLiquidityTransfer(deps.ledger, {
      type: outcome,
      id: deps.ids.orderedUuid(),
      pendingId: withdrawalId,
    })
  }
