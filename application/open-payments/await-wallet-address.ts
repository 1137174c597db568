import type { Clock } from '../ports/clock.ts'
import type { EmitWebhookEvent } from '../webhooks/emit-webhook-event.ts'

/**
 * Finds a wallet address, giving the ASE a chance to create it just in time: when `find` finds
 * nothing, `wallet_address.not_found` is emitted with `url` and `find` is retried every
 * pollingFrequencyMs until lookupTimeoutMs has passed (Rafiki's getOrPollByUrl).
 */
export type AwaitWalletAddress = <T>(
  url: string,
  find: () => Promise<T | undefined>,
) => Promise<T | undefined>

export type AwaitWalletAddressDeps = {
  readonly emitWebhookEvent: EmitWebhookEvent
  readonly clock: Clock
  readonly sleep: (ms: number) => Promise<void>
  /** WALLET_ADDRESS_POLLING_FREQUENCY_MS */
  readonly pollingFrequencyMs: number
  /** WALLET_ADDRESS_LOOKUP_TIMEOUT_MS */
  readonly lookupTimeoutMs: number
}

export const makeAwaitWalletAddress =
  (deps: AwaitWalletAddressDeps): AwaitWalletAddress =>
  async (url, find) => {
    const found = await find()
    if (found !== undefined) return found
    const deadlineMs = deps.clock.now() + deps.lookupTimeoutMs
    await deps.emitWebhookEvent({
      type: 'wallet_address.not_found',
      data: { walletAddressUrl: url },
    })
    for (let leftMs = deadlineMs - deps.clock.now(); leftMs > 0;) {
      await deps.sleep(Math.min(deps.pollingFrequencyMs, leftMs))
      const polled = await find()
      if (polled !== undefined) return polled
      leftMs = deadlineMs - deps.clock.now()
    }
    return undefined
  }
