import {
  toPageRequest,
  type Page,
  type PageArgs,
  type PageError,
} from '../../domain/pagination/page.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import type { WalletAddressKey } from '../../domain/wallet-addresses/wallet-address-key.ts'
import type { WalletAddressKeyRepository } from '../ports/wallet-address-key-repository.ts'

/** A wallet address's keys, revoked ones included (the admin API's walletAddressKeys). */
export type ListWalletAddressKeys = (
  walletAddressId: string,
  args: PageArgs,
) => Promise<Result<Page<WalletAddressKey>, PageError>>

export const makeListWalletAddressKeys =
  (deps: { readonly keys: WalletAddressKeyRepository }): ListWalletAddressKeys =>
  async (walletAddressId, args) => {
    const request = toPageRequest(args)
    if (!request.ok) return request
    const page = await deps.keys.list(walletAddressId, request.value)
    return page.ok ? page : err('invalid_cursor')
  }
