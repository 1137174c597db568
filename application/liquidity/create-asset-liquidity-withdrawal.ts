import type { Asset } from '../../domain/assets/asset.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { LiquidityError } from './liquidity-errors.ts'
import { runLiquidityTransfer } from './run-liquidity-transfer.ts'
import { isWithdrawalTimeout, withdrawalTransfer } from './withdrawal-transfer.ts'

export type CreateAssetLiquidityWithdrawalInput = {
  readonly assetId: string
  readonly id: string
  readonly amount: bigint
  /** > 0: a pending withdrawal, posted or voided later; 0: withdrawn at once. */
  readonly timeoutSeconds: number
}

export type CreateAssetLiquidityWithdrawal = (
  input: CreateAssetLiquidityWithdrawalInput,
) => Promise<Result<void, LiquidityError>>

export type CreateAssetLiquidityWithdrawalDeps = {
  readonly assets: AssetRepository
  readonly ledger: Ledger
  /** Called after liquidity left the asset account, to warn the ASE when it runs low. */
  readonly afterDebit: (asset: Asset) => Promise<void>
}

export const makeCreateAssetLiquidityWithdrawal =
  (deps: CreateAssetLiquidityWithdrawalDeps): CreateAssetLiquidityWithdrawal =>
  async (input) => {
    if (!isWithdrawalTimeout(input.timeoutSeconds)) return err('invalid_timeout')
    const asset = isUuid(input.assetId) ? await deps.assets.getById(input.assetId) : undefined
    if (!asset) return err('unknown_asset')
    const result = await runLiquidityTransfer(
      deps.ledger,
      withdrawalTransfer({ ...input, accountId: asset.id, asset }),
    )
    if (result.ok) await deps.afterDebit(asset)
    return result
  }
