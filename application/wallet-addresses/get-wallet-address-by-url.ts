import {
  validateWalletAddressUrl,
  type WalletAddress,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

export type GetWalletAddressByUrl = (url: string) => Promise<WalletAddress | undefined>

/**
 * Finds a wallet address by any spelling of its URL (case, trailing slash, default port). http
 * is looked up too: such an address exists only if the node was told to allow it.
 */
export const makeGetWalletAddressByUrl =
  (deps: { readonly walletAddresses: WalletAddressRepository }): GetWalletAddressByUrl =>
  async (url) => {
    const canonical = validateWalletAddressUrl(url, { allowHttp: true })
    return canonical.ok ? deps.walletAddresses.getByUrl(canonical.value) : undefined
  }
