import { isUuid } from '../../domain/shared/uuid.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import {
  cleanAdditionalProperties,
  isWalletAddressStatus,
  validatePublicName,
  type AdditionalProperty,
  type AdditionalPropertyInput,
  type WalletAddress,
  type WalletAddressStatus,
} from '../../domain/wallet-addresses/wallet-address.ts'
import type { Clock } from '../ports/clock.ts'
import type {
  WalletAddressChanges,
  WalletAddressRepository,
} from '../ports/wallet-address-repository.ts'

/** Absent (undefined) fields stay as they are; publicName null clears the name. */
export type UpdateWalletAddressInput = {
  readonly id: string
  readonly publicName?: string | null | undefined
  /** ACTIVE or INACTIVE; null counts as absent, as GraphQL's nullable enum sends it. */
  readonly status?: string | null | undefined
  /** Replaces every property; null counts as absent. */
  readonly additionalProperties?: readonly AdditionalPropertyInput[] | null | undefined
}

export type UpdateWalletAddressError =
  | 'unknown_wallet_address'
  | 'invalid_status'
  | 'invalid_public_name'
  | 'invalid_additional_properties'

export type UpdateWalletAddress = (
  input: UpdateWalletAddressInput,
) => Promise<Result<WalletAddress, UpdateWalletAddressError>>

/**
 * Extension point: runs after an ACTIVE wallet address turned INACTIVE. Incoming payments will
 * plug in here to cut the expiry of the address's open payments to
 * WALLET_ADDRESS_DEACTIVATION_PAYMENT_GRACE_PERIOD_MS from now, as Rafiki does (then within the
 * same unit of work as the update).
 */
export type OnWalletAddressDeactivated = (walletAddress: WalletAddress) => Promise<void>

export type UpdateWalletAddressDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly clock: Clock
  readonly onDeactivated?: OnWalletAddressDeactivated | undefined
}

export const makeUpdateWalletAddress =
  (deps: UpdateWalletAddressDeps): UpdateWalletAddress =>
  async (input) => {
    if (!isUuid(input.id)) return err('unknown_wallet_address')
    const changes = toChanges(input)
    if (!changes.ok) return changes
    const updated = await deps.walletAddresses.update(
      input.id,
      changes.value,
      new Date(deps.clock.now()),
    )
    if (!updated) return err('unknown_wallet_address')
    const { walletAddress, previousStatus } = updated
    if (previousStatus === 'ACTIVE' && walletAddress.status === 'INACTIVE') {
      await deps.onDeactivated?.(walletAddress)
    }
    return ok(walletAddress)
  }

function toChanges(
  input: UpdateWalletAddressInput,
): Result<WalletAddressChanges, Exclude<UpdateWalletAddressError, 'unknown_wallet_address'>> {
  let status: WalletAddressStatus | undefined
  if (input.status != null) {
    if (!isWalletAddressStatus(input.status)) return err('invalid_status')
    status = input.status
  }
  let publicName: string | null | undefined
  if (input.publicName !== undefined) {
    const validated = validatePublicName(input.publicName)
    if (!validated.ok) return validated
    publicName = validated.value
  }
  let additionalProperties: readonly AdditionalProperty[] | undefined
  if (input.additionalProperties != null) {
    const cleaned = cleanAdditionalProperties(input.additionalProperties)
    if (!cleaned.ok) return cleaned
    additionalProperties = cleaned.value
  }
  return ok({ publicName, status, additionalProperties })
}
