import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import type { WalletAddress } from '../../domain/wallet-addresses/wallet-address.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

export type ListWalletAddresses = (
  args: PageArgs,
) => Promise<Result<Page<WalletAddress>, PageError>>

export const makeListWalletAddresses =
  (deps: { readonly walletAddresses: WalletAddressRepository }): ListWalletAddresses =>
  async (args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    const page = await deps.walletAddresses.list(request.value)
    return page.ok ? page : err('invalid_cursor')
  }
