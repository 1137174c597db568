import type { Asset } from '../../domain/assets/asset.ts'
import {
  validateWalletAddressUrl,
  type WalletAddress,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

/** An asset's identity: never changes after creation, so it may be cached. */
export type AssetIdentity = Pick<Asset, 'id' | 'code' | 'scale'>

export type ActiveWalletAddress = {
  readonly walletAddress: WalletAddress
  readonly asset: AssetIdentity
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

// Assets are few; the bound only keeps a bug from growing the map without end.
const assetIdentitiesMax = 10_000

/**
 * Open Payments reads are the hottest path after the connector: the asset's code and scale
 * never change, so they are read once per process and kept.
 */
export const makeGetActiveWalletAddress = (
  deps: GetActiveWalletAddressDeps,
): GetActiveWalletAddress => {
  const assets = new Map<string, AssetIdentity>()
  const assetIdentity = async (id: string): Promise<AssetIdentity | undefined> => {
    const known = assets.get(id)
    if (known) return known
    const asset = await deps.assets.getById(id)
    if (!asset) return undefined
    const identity = { id: asset.id, code: asset.code, scale: asset.scale }
    if (assets.size >= assetIdentitiesMax) assets.clear()
    assets.set(id, identity)
    return identity
  }
  return async (url) => {
    const canonical = validateWalletAddressUrl(url, { allowHttp: true })
    if (!canonical.ok) return undefined
    const walletAddress = await deps.walletAddresses.getByUrl(canonical.value)
    if (walletAddress?.status !== 'ACTIVE') return undefined
    // An asset in use cannot be deleted; should one be gone anyway, the address is unusable.
    const asset = await assetIdentity(walletAddress.assetId)
    return asset && { walletAddress, asset }
  }
}
