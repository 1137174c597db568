import type { Asset } from '../../../domain/assets/asset.ts'
import type { PageArgs } from '../../../domain/pagination/page.ts'
import { err, ok, type Result } from '../../../domain/shared/result.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { CreateAsset, CreateAssetError } from '../../../application/assets/create-asset.ts'
import type { DeleteAsset, DeleteAssetError } from '../../../application/assets/delete-asset.ts'
import type { GetAsset } from '../../../application/assets/get-asset.ts'
import type { GetAssetByCodeAndScale } from '../../../application/assets/get-asset-by-code-and-scale.ts'
import type { ListAssets } from '../../../application/assets/list-assets.ts'
import type { UpdateAsset, UpdateAssetError } from '../../../application/assets/update-asset.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type AssetResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly createAsset: CreateAsset
  readonly updateAsset: UpdateAsset
  readonly deleteAsset: DeleteAsset
  readonly getAsset: GetAsset
  readonly getAssetByCodeAndScale: GetAssetByCodeAndScale
  readonly listAssets: ListAssets
}

const assetErrors = {
  invalid_asset_code: [
    'BAD_USER_INPUT',
    'Asset code must be 1 to 32 characters with no whitespace',
  ],
  invalid_asset_scale: ['BAD_USER_INPUT', 'Asset scale must be a whole number from 0 to 255'],
  invalid_threshold: ['BAD_USER_INPUT', 'Thresholds must be whole numbers from 0 to 2^64-1'],
  duplicate_asset: ['DUPLICATE', 'Asset already exists'],
  unknown_asset: ['NOT_FOUND', 'Asset not found'],
  asset_in_use: ['FORBIDDEN', 'Cannot delete! Asset in use.'],
} as const satisfies Record<CreateAssetError | UpdateAssetError | DeleteAssetError, ErrorReply>

type CreateAssetArgs = {
  code: string
  scale: number
  withdrawalThreshold?: bigint | null
  liquidityThreshold?: bigint | null
}
type UpdateAssetArgs = {
  id: string
  withdrawalThreshold?: bigint | null
  liquidityThreshold?: bigint | null
}

export function makeAssetResolvers(deps: AssetResolverDeps) {
  const asPayload = (
    result: Result<Asset, CreateAssetError | UpdateAssetError | DeleteAssetError>,
  ) => (result.ok ? ok({ asset: result.value }) : err(assetErrors[result.error]))
  return {
    Query: {
      asset: async (_: unknown, args: { id: string }) => {
        const asset = await deps.getAsset(args.id)
        if (!asset) throw graphqlError(assetErrors.unknown_asset)
        return asset
      },
      assetByCodeAndScale: (_: unknown, args: { code: string; scale: number }) =>
        deps.getAssetByCodeAndScale(args.code, args.scale).then((asset) => asset ?? null),
      assets: async (_: unknown, args: PageArgs) => {
        const page = await deps.listAssets(args)
        if (!page.ok) throw graphqlError(pageErrors[page.error])
        return toConnection(page.value)
      },
    },
    Mutation: {
      createAsset: idempotentMutation(deps.runIdempotent, async (input: CreateAssetArgs) =>
        asPayload(await deps.createAsset(input)),
      ),
      updateAsset: idempotentMutation(deps.runIdempotent, async (input: UpdateAssetArgs) =>
        asPayload(
          await deps.updateAsset({
            id: input.id,
            withdrawalThreshold: input.withdrawalThreshold ?? null,
            liquidityThreshold: input.liquidityThreshold ?? null,
          }),
        ),
      ),
      deleteAsset: idempotentMutation(deps.runIdempotent, async (input: { id: string }) =>
        asPayload(await deps.deleteAsset(input.id)),
      ),
    },
    Asset: {
      createdAt: (asset: Asset) => asset.createdAt.toISOString(),
    },
  }
}
