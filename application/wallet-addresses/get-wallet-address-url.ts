import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import { makeGetWalletAddress } from './get-wallet-address.ts'

/** The URL of the wallet address with this id (any status); undefined when there is none. */
export type GetWalletAddressUrl = (id: string) => Promise<string | undefined>

// URLs of this many wallet addresses are kept; past it the map starts over.
const urlsMax = 100_000

/**
 * A wallet address's URL never changes once created, so each is read once per process: every
 * Open Payments request on a payment needs its wallet address URL (its access identifier).
 */
export const makeGetWalletAddressUrl = (deps: {
  readonly walletAddresses: WalletAddressRepository
}): GetWalletAddressUrl => {
  const getWalletAddress = makeGetWalletAddress(deps)
  const urls = new Map<string, string>()
  return async (id) => {
    const known = urls.get(id)
    if (known !== undefined) return known
    const walletAddress = await getWalletAddress(id)
    if (!walletAddress) return undefined
    if (urls.size >= urlsMax) urls.clear()
    urls.set(id, walletAddress.url)
    return walletAddress.url
  }
}
