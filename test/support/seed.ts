import type { Asset } from '../../domain/assets/asset.ts'
import type { WalletAddress } from '../../domain/wallet-addresses/wallet-address.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import type { Clock } from '../../application/ports/clock.ts'
import type { WalletAddressRepository } from '../../application/ports/wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

/** A USD (scale 2) asset, straight into the repository. */
export async function seedAsset(assets: AssetRepository, createdAt: Date): Promise<Asset> {
  const asset = await assets.create({
    id: randomIds.uuid(),
    code: 'USD',
    scale: 2,
    withdrawalThreshold: null,
    liquidityThreshold: null,
    createdAt,
  })
  if (!asset.ok) throw new Error('seed: asset')
  return asset.value
}

/** A USD (scale 2) asset and one active wallet address holding it, straight into repositories. */
export async function seedWalletAddress(
  repositories: {
    readonly assets: AssetRepository
    readonly walletAddresses: WalletAddressRepository
  },
  clock: Clock,
): Promise<{ readonly asset: Asset; readonly walletAddress: WalletAddress }> {
  const asset = await seedAsset(repositories.assets, new Date(clock.now()))
  const walletAddress = await repositories.walletAddresses.create({
    id: randomIds.uuid(),
    url: 'https://wallet.example/alice',
    assetId: asset.id,
    publicName: null,
    additionalProperties: [],
    createdAt: new Date(clock.now()),
  })
  if (!walletAddress.ok) throw new Error('seed: wallet address')
  return { asset, walletAddress: walletAddress.value }
}
