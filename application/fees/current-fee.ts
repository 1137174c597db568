import type { Fee, FeeType } from '../../domain/fees/fee.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { FeeRepository } from '../ports/fee-repository.ts'

/** The fee of this type in force for the asset (the one set last); undefined when none is. */
export type CurrentFee = (assetId: string, type: FeeType) => Promise<Fee | undefined>

export const makeCurrentFee =
  (deps: { readonly fees: FeeRepository }): CurrentFee =>
  (assetId, type) =>
    isUuid(assetId) ? deps.fees.latest(assetId, type) : Promise.resolve(undefined)
