import type { Asset } from '../../domain/assets/asset.ts'
import {
  validateWalletAddressUrl,
  type WalletAddress,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

export type ActiveWalletAddress = {
  readonly walletAddress: WalletAddress
  readonly asset: Asset
}

/**
 * The wallet address at `url` with its asset, for the public Open Payments view; undefined when
 * there is none or it is INACTIVE (Rafiki answers both with 404).
 */
export type GetActiveWalletAddress = (url: string) => Promise<ActiveWalletAddress | undefined>

export type GetActiveWalletAddressDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
}

export const makeGetActiveWalletAddress =
  (deps: GetActiveWalletAddressDeps): GetActiveWalletAddress =>
  async (url) => {
    const canonical = validateWalletAddressUrl(url, { allowHttp: true })
    if (!canonical.ok) return undefined
    const walletAddress = await deps.walletAddresses.getByUrl(canonical.value)
    if (walletAddress?.status !== 'ACTIVE') return undefined
    // An asset in use cannot be deleted; should one be gone anyway, the address is unusable.
    const asset = await deps.assets.getById(walletAddress.assetId)
    return asset && { walletAddress, asset }
  }
