import { isUuid } from '../../domain/shared/uuid.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import {
  cleanAdditionalProperties,
  validatePublicName,
  validateWalletAddressUrl,
  type AdditionalPropertyInput,
  type WalletAddress,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

export type CreateWalletAddressInput = {
  readonly url: string
  readonly assetId: string
  readonly publicName?: string | null | undefined
  readonly additionalProperties?: readonly AdditionalPropertyInput[] | null | undefined
}

export type CreateWalletAddressError =
  | 'invalid_url'
  | 'unknown_asset'
  | 'duplicate_url'
  | 'invalid_public_name'
  | 'invalid_additional_properties'

export type CreateWalletAddress = (
  input: CreateWalletAddressInput,
) => Promise<Result<WalletAddress, CreateWalletAddressError>>

export type CreateWalletAddressDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly clock: Clock
  readonly ids: IdGenerator
  /** Accept http:// URLs too (tests and local development; Rafiki requires https). */
  readonly allowHttp: boolean
}

export const makeCreateWalletAddress =
  (deps: CreateWalletAddressDeps): CreateWalletAddress =>
  async (input) => {
    const url = validateWalletAddressUrl(input.url, { allowHttp: deps.allowHttp })
    if (!url.ok) return url
    const publicName = validatePublicName(input.publicName ?? null)
    if (!publicName.ok) return publicName
    const properties = cleanAdditionalProperties(input.additionalProperties ?? [])
    if (!properties.ok) return properties
    // Deleted assets stay as rows for history; only a live one can take new wallet addresses.
    const asset = isUuid(input.assetId) ? await deps.assets.getById(input.assetId) : undefined
    if (!asset) return err('unknown_asset')
    return deps.walletAddresses.create({
      id: deps.ids.uuid(),
      url: url.value,
      assetId: asset.id,
      publicName: publicName.value,
      additionalProperties: properties.value,
      createdAt: new Date(deps.clock.now()),
    })
  }
