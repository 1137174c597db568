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

/**
 * A wallet address whose received web-monetization money is due to be reported
 * (`wallet_address.web_monetization`), as read at one moment.
 */
export type DueWalletAddress = {
  readonly walletAddress: WalletAddress
  readonly processAt: Date
  /** What its events reported so far: the next one reports the total received beyond it. */
  readonly totalEventsAmount: bigint
  /** Bumped by every scheduleEvents call: tells a report whether money came in meanwhile. */
  readonly scheduleVersion: bigint
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
  /**
   * Web monetization received money: report it at `at`, or at the time already asked for if
   * that is earlier. false when there is no such wallet address.
   */
  scheduleEvents(id: string, at: Date): Promise<boolean>
  /** Up to `limit` wallet addresses whose report is due at `now`, the longest due first. */
  listDueForEvents(now: Date, limit: number): Promise<readonly DueWalletAddress[]>
  /**
   * Records that events now reported `totalEventsAmount` and clears processAt, only if neither
   * the reported total nor the schedule changed since `seen` was read (a compare-and-set: two
   * reporters never report the same money twice, and money scheduled meanwhile stays due).
   * True when it applied.
   */
  markEventsReported(seen: DueWalletAddress, totalEventsAmount: bigint): Promise<boolean>
}
