import type { Asset } from '../../../domain/assets/asset.ts'
import type { Fee, FeeType } from '../../../domain/fees/fee.ts'
import type { PageArgs } from '../../../domain/pagination/page.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { CurrentFee } from '../../../application/fees/current-fee.ts'
import type { ListFees } from '../../../application/fees/list-fees.ts'
import type { SetFee, SetFeeError } from '../../../application/fees/set-fee.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type FeeResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly setFee: SetFee
  readonly currentFee: CurrentFee
  readonly listFees: ListFees
}

// Codes and messages of Rafiki's FeeError table. A fixed fee outside 64 bits is stopped earlier,
// by the UInt64 scalar, as in Rafiki.
const feeErrors = {
  invalid_fixed_fee: ['BAD_USER_INPUT', 'Fixed fee must be greater than or equal to 0'],
  invalid_basis_points: ['BAD_USER_INPUT', 'Basis point fee must be between 0 and 10000'],
  unknown_asset: ['NOT_FOUND', 'Unknown asset'],
} as const satisfies Record<SetFeeError, ErrorReply>

type SetFeeArgs = {
  assetId: string
  type: FeeType
  fee: { fixed: bigint; basisPoints: number }
}

export function makeFeeResolvers(deps: FeeResolverDeps) {
  const current = (type: FeeType) => (asset: Asset) =>
    deps.currentFee(asset.id, type).then((fee) => fee ?? null)
  return {
    Mutation: {
      setFee: idempotentMutation(deps.runIdempotent, async (input: SetFeeArgs) => {
        const set = await deps.setFee({
          assetId: input.assetId,
          type: input.type,
          fixed: input.fee.fixed,
          basisPoints: input.fee.basisPoints,
        })
        return set.ok ? ok({ fee: set.value }) : err(feeErrors[set.error])
      }),
    },
    Asset: {
      sendingFee: current('SENDING'),
      receivingFee: current('RECEIVING'),
      fees: async (asset: Asset, args: PageArgs) => {
        const page = await deps.listFees(asset.id, args)
        if (!page.ok) throw graphqlError(pageErrors[page.error])
        return toConnection(page.value)
      },
    },
    Fee: {
      createdAt: (fee: Fee) => fee.createdAt.toISOString(),
    },
  }
}
