import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { LiquidityError } from './liquidity-errors.ts'
import { runLiquidityTransfer } from './run-liquidity-transfer.ts'

export type DepositAssetLiquidityInput = {
  readonly assetId: string
  /** The transfer id, chosen by the operator so a retry cannot deposit twice. */
  readonly id: string
  readonly amount: bigint
}

export type DepositAssetLiquidity = (
  input: DepositAssetLiquidityInput,
) => Promise<Result<void, LiquidityError>>

export const makeDepositAssetLiquidity =
  (deps: { readonly assets: AssetRepository; readonly ledger: Ledger }): DepositAssetLiquidity =>
  async (input) => {
    const asset = isUuid(input.assetId) ? await deps.assets.getById(input.assetId) : undefined
    if (!asset) return err('unknown_asset')
    return runLiquidityTransfer(deps.ledger, {
      type: 'single',
      id: input.id,
      debitAccountId: settlementAccountId(asset.id),
      creditAccountId: asset.id,
      amount: input.amount,
      ledger: asset.ledger,
    })
  }
