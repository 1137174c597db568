import type { TriggerWalletAddressEvents } from '../wallet-addresses/trigger-wallet-address-events.ts'

export const walletAddressWorkTopic = 'wallet_address'

export type ProcessNextWalletAddressEventsDeps = {
  readonly triggerWalletAddressEvents: TriggerWalletAddressEvents
  /** Wallet addresses reported per step. */
  readonly batchMax: number
}

/**
 * One step of the wallet-address worker (WALLET_ADDRESS_WORKERS): reports the web-monetization
 * money of wallet addresses whose report is due, as Rafiki's worker does; true while some were.
 */
export const makeProcessNextWalletAddressEvents =
  (deps: ProcessNextWalletAddressEventsDeps) => async (): Promise<boolean> => {
    const reported = await deps.triggerWalletAddressEvents(deps.batchMax)
    return reported.ok && reported.value > 0
  }
