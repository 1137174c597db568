import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Result } from '../../domain/shared/result.ts'
import type { Jwk, WalletAddressKey } from '../../domain/wallet-addresses/wallet-address-key.ts'

export type NewWalletAddressKey = {
  readonly id: string
  readonly walletAddressId: string
  readonly jwk: Jwk
  readonly createdAt: Date
}

export interface WalletAddressKeyRepository {
  /** duplicate_key when the wallet address already has a key (revoked or not) with this kid. */
  create(key: NewWalletAddressKey): Promise<Result<WalletAddressKey, 'duplicate_key'>>
  /** Marks the key revoked; an already revoked key is returned as it is. */
  revoke(id: string, revokedAt: Date): Promise<WalletAddressKey | undefined>
  getById(id: string): Promise<WalletAddressKey | undefined>
  /** The wallet address's unrevoked keys, newest first, at most `limit`. */
  listActive(walletAddressId: string, limit: number): Promise<readonly WalletAddressKey[]>
  /** All the wallet address's keys in (createdAt, id) order, revoked ones included. */
  list(
    walletAddressId: string,
    request: PageRequest,
  ): Promise<Result<Page<WalletAddressKey>, 'unknown_cursor'>>
}
