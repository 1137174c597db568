import type { Clock } from '../ports/clock.ts'
import type { IncomingPaymentRepository } from '../ports/incoming-payment-repository.ts'
import type { OnWalletAddressDeactivated } from '../wallet-addresses/update-wallet-address.ts'

export type CapExpiryOnDeactivationDeps = {
  readonly incomingPayments: IncomingPaymentRepository
  readonly clock: Clock
  /** WALLET_ADDRESS_DEACTIVATION_PAYMENT_GRACE_PERIOD_MS */
  readonly gracePeriodMs: number
}

/**
 * For updateWalletAddress's onDeactivated: as Rafiki does, the open incoming payments of a
 * deactivated wallet address expire at the latest after the grace period.
 */
export const makeCapExpiryOnDeactivation =
  (deps: CapExpiryOnDeactivationDeps): OnWalletAddressDeactivated =>
  async (walletAddress) => {
    const nowMs = deps.clock.now()
    const latest = new Date(nowMs + deps.gracePeriodMs)
    await deps.incomingPayments.capExpiry(walletAddress.id, latest, new Date(nowMs))
  }
