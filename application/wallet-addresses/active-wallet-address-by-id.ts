import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { WalletAddress } from '../../domain/wallet-addresses/wallet-address.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

/**
 * The wallet address a payment or quote is made for: it must exist and be ACTIVE (Rafiki's
 * UnknownWalletAddress / InactiveWalletAddress). A malformed id names nothing.
 */
export async function activeWalletAddressById(
  walletAddresses: WalletAddressRepository,
  id: string,
): Promise<Result<WalletAddress, 'unknown_wallet_address' | 'inactive_wallet_address'>> {
  const walletAddress = isUuid(id) ? await walletAddresses.getById(id) : undefined
  if (!walletAddress) return err('unknown_wallet_address')
  if (walletAddress.status !== 'ACTIVE') return err('inactive_wallet_address')
  return ok(walletAddress)
}
