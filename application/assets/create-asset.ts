import {
  validateAssetCode,
  validateAssetScale,
  validateThreshold,
  type Asset,
  type AssetInputError,
} from '../../domain/assets/asset.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger } from '../ports/ledger.ts'

export type CreateAssetInput = {
  readonly code: string
  readonly scale: number
  readonly withdrawalThreshold?: bigint | null | undefined
  readonly liquidityThreshold?: bigint | null | undefined
}

export type CreateAssetError = AssetInputError | 'duplicate_asset'

export type CreateAsset = (input: CreateAssetInput) => Promise<Result<Asset, CreateAssetError>>

export type CreateAssetDeps = {
  readonly assets: AssetRepository
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly ledger: Ledger
}

export const makeCreateAsset =
  (deps: CreateAssetDeps): CreateAsset =>
  async (input) => {
    const code = validateAssetCode(input.code)
    if (!code.ok) return code
    const scale = validateAssetScale(input.scale)
    if (!scale.ok) return scale
    const withdrawal = validateThreshold(input.withdrawalThreshold ?? null)
    const liquidity = validateThreshold(input.liquidityThreshold ?? null)
    if (!withdrawal.ok || !liquidity.ok) return err('invalid_threshold')
    const created = await deps.assets.create({
      id: deps.ids.uuid(),
      code: code.value,
      scale: scale.value,
      withdrawalThreshold: withdrawal.value,
      liquidityThreshold: liquidity.value,
      createdAt: new Date(deps.clock.now()),
    })
    if (created.ok) await createAssetAccounts(deps, created.value)
    return created
  }

/** The asset's ledger gets its settlement and liquidity accounts; the asset id is the latter's. */
async function createAssetAccounts(deps: CreateAssetDeps, asset: Asset): Promise<void> {
  try {
    const accounts = await deps.ledger.createAccounts([
      { id: settlementAccountId(asset.id), ledger: asset.ledger, kind: 'SETTLEMENT' },
      { id: asset.id, ledger: asset.ledger, kind: 'ASSET' },
    ])
    // Fresh random ids cannot exist with other fields.
    assert(accounts.ok, `asset accounts of ${asset.id} exist with other fields`)
  } catch (error) {
    // No asset without its accounts: take the asset back and let the caller retry.
    await deps.assets.softDelete(asset.id, new Date(deps.clock.now()))
    throw error
  }
}
