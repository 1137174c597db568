import { isUuid } from '../../domain/shared/uuid.ts'
import type { WalletAddress } from '../../domain/wallet-addresses/wallet-address.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

export type GetWalletAddress = (id: string) => Promise<WalletAddress | undefined>

export const makeGetWalletAddress =
  (deps: { readonly walletAddresses: WalletAddressRepository }): GetWalletAddress =>
  (id) =>
    isUuid(id) ? deps.walletAddresses.getById(id) : Promise.resolve(undefined)
