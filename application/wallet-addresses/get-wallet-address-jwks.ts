import {
  validateWalletAddressUrl,
  type WalletAddress,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type { Jwk } from '../../domain/wallet-addresses/wallet-address-key.ts'
import type { WalletAddressKeyRepository } from '../ports/wallet-address-key-repository.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

/** More than enough for key rotation; the newest keys are the ones kept. */
export const jwksKeysMax = 100

/**
 * The unrevoked keys of the ACTIVE wallet address at `url`, for its jwks.json; undefined when
 * there is no such address or it is INACTIVE (Rafiki answers both with 404).
 */
export type GetWalletAddressJwks = (
  url: string,
) => Promise<{ readonly walletAddress: WalletAddress; readonly keys: readonly Jwk[] } | undefined>

export type GetWalletAddressJwksDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly keys: WalletAddressKeyRepository
}

export const makeGetWalletAddressJwks =
  (deps: GetWalletAddressJwksDeps): GetWalletAddressJwks =>
  async (url) => {
    const canonical = validateWalletAddressUrl(url, { allowHttp: true })
    if (!canonical.ok) return undefined
    const walletAddress = await deps.walletAddresses.getByUrl(canonical.value)
    if (walletAddress?.status !== 'ACTIVE') return undefined
    const keys = await deps.keys.listActive(walletAddress.id, jwksKeysMax)
    return { walletAddress, keys: keys.map((key) => key.jwk) }
  }
