import type { Page, PageRequest } from '../../domain/pagination/page.ts'
import type { Result } from '../../domain/shared/result.ts'
import type {
  AdditionalProperty,
  WalletAddress,
  WalletAddressStatus,
} from '../../domain/wallet-addresses/wallet-address.ts'

export type NewWalletAddress = {
  readonly id: string
  /** Already canonical (validateWalletAddressUrl). */
  readonly url: string
  readonly assetId: string
  readonly publicName: string | null
  readonly additionalProperties: readonly AdditionalProperty[]
  readonly createdAt: Date
}

/** Fields to change; an absent one stays as it is. */
export type WalletAddressChanges = {
  readonly publicName?: string | null | undefined
  readonly status?: WalletAddressStatus | undefined
  /** Replaces every property when present (an empty list removes them all). */
  readonly additionalProperties?: readonly AdditionalProperty[] | undefined
}

export type WalletAddressUpdate = {
  readonly walletAddress: WalletAddress
  /** The status before this update: tells a caller whether it deactivated the address. */
  readonly previousStatus: WalletAddressStatus
}

export interface WalletAddressRepository {
  /** duplicate_url when a wallet address has the same (canonical) url. New ones are ACTIVE. */
  create(walletAddress: NewWalletAddress): Promise<Result<WalletAddress, 'duplicate_url'>>
  /**
   * Applies `changes` in one atomic write; a status change moves deactivatedAt as
   * deactivatedAtAfter() says. undefined when there is no such wallet address.
   */
  update(
    id: string,
    changes: WalletAddressChanges,
    updatedAt: Date,
  ): Promise<WalletAddressUpdate | undefined>
  getById(id: string): Promise<WalletAddress | undefined>
  /** `url` must be canonical: lookups compare it exactly. */
  getByUrl(url: string): Promise<WalletAddress | undefined>
  /** In (createdAt, id) order; unknown_cursor when the cursor is not a wallet address. */
  list(request: PageRequest): Promise<Result<Page<WalletAddress>, 'unknown_cursor'>>
  /** Whether any wallet address uses the asset (an asset in use cannot be deleted). */
  existsWithAsset(assetId: string): Promise<boolean>
}
