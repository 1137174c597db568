import { isUuid } from '../../domain/shared/uuid.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import {
  validateJwk,
  type JwkInput,
  type WalletAddressKey,
} from '../../domain/wallet-addresses/wallet-address-key.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { WalletAddressKeyRepository } from '../ports/wallet-address-key-repository.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

export type CreateWalletAddressKeyInput = {
  readonly walletAddressId: string
  readonly jwk: JwkInput
}

export type CreateWalletAddressKeyError = 'invalid_jwk' | 'unknown_wallet_address' | 'duplicate_key'

export type CreateWalletAddressKey = (
  input: CreateWalletAddressKeyInput,
) => Promise<Result<WalletAddressKey, CreateWalletAddressKeyError>>

export type CreateWalletAddressKeyDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly keys: WalletAddressKeyRepository
  readonly clock: Clock
  readonly ids: IdGenerator
}

/** An inactive wallet address may still get keys, as in Rafiki; its jwks.json stays hidden. */
export const makeCreateWalletAddressKey =
  (deps: CreateWalletAddressKeyDeps): CreateWalletAddressKey =>
  async (input) => {
    const jwk = validateJwk(input.jwk)
    if (!jwk.ok) return jwk
    const { walletAddressId } = input
    const walletAddress = isUuid(walletAddressId)
      ? await deps.walletAddresses.getById(walletAddressId)
      : undefined
    if (!walletAddress) return err('unknown_wallet_address')
    return deps.keys.create({
      id: deps.ids.uuid(),
      walletAddressId: walletAddress.id,
      jwk: jwk.value,
      createdAt: new Date(deps.clock.now()),
    })
  }
