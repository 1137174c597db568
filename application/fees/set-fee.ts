import {
  validateFeeAmounts,
  type Fee,
  type FeeInputError,
  type FeeType,
} from '../../domain/fees/fee.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { FeeRepository } from '../ports/fee-repository.ts'
import type { IdGenerator } from '../ports/ids.ts'

export type SetFeeInput = {
  readonly assetId: string
  readonly type: FeeType
  readonly fixed: bigint
  readonly basisPoints: number
}

export type SetFeeError = FeeInputError | 'unknown_asset'

export type SetFee = (input: SetFeeInput) => Promise<Result<Fee, SetFeeError>>

export type SetFeeDeps = {
  readonly fees: FeeRepository
  readonly assets: AssetRepository
  readonly clock: Clock
  readonly ids: IdGenerator
}

/** Rafiki's setFee: a new row in the asset's fee history, in force from now on for its type. */
export const makeSetFee =
  (deps: SetFeeDeps): SetFee =>
  async (input) => {
    // Rafiki's order: the amounts first, then the asset.
    const amounts = validateFeeAmounts(input)
    if (!amounts.ok) return amounts
    if (!isUuid(input.assetId)) return err('unknown_asset')
    // A soft-deleted asset counts as unknown, as everywhere in the admin API.
    if (!(await deps.assets.getById(input.assetId))) return err('unknown_asset')
    const fee = await deps.fees.create({
      id: deps.ids.uuid(),
      assetId: input.assetId,
      type: input.type,
      ...amounts.value,
      createdAt: new Date(deps.clock.now()),
    })
    return ok(fee)
  }
