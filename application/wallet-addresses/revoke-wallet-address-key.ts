import { isUuid } from '../../domain/shared/uuid.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { WalletAddressKey } from '../../domain/wallet-addresses/wallet-address-key.ts'
import type { Clock } from '../ports/clock.ts'
import type { WalletAddressKeyRepository } from '../ports/wallet-address-key-repository.ts'

export type RevokeWalletAddressKey = (
  id: string,
) => Promise<Result<WalletAddressKey, 'unknown_key'>>

export type RevokeWalletAddressKeyDeps = {
  readonly keys: WalletAddressKeyRepository
  readonly clock: Clock
}

/** Revoking a revoked key succeeds and returns it unchanged (Rafiki's key service does so). */
export const makeRevokeWalletAddressKey =
  (deps: RevokeWalletAddressKeyDeps): RevokeWalletAddressKey =>
  async (id) => {
    if (!isUuid(id)) return err('unknown_key')
    const key = await deps.keys.revoke(id, new Date(deps.clock.now()))
    return key ? ok(key) : err('unknown_key')
  }
