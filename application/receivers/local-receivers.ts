import type { IncomingPayment } from '../../domain/incoming-payments/incoming-payment.ts'
import { sameBaseUrl } from '../../domain/receivers/incoming-payment-url.ts'
import { localReceiver } from '../../domain/receivers/local-receiver.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import type { WalletAddress } from '../../domain/wallet-addresses/wallet-address.ts'
import type { StreamCredentials } from '../ports/stream-receiver.ts'

/** What receivers need to know about this node to tell its own incoming payments apart. */
export type LocalReceiverDeps = {
  /** OPEN_PAYMENTS_URL: our incoming payments are `{it}/incoming-payments/{id}`. */
  readonly resourceServerUrl: string
  readonly getWalletAddressByUrl: (url: string) => Promise<WalletAddress | undefined>
  readonly getWalletAddressUrl: (id: string) => Promise<string | undefined>
  /** STREAM credentials of an incoming payment (its `ilp` method). */
  readonly streamCredentials: (paymentId: string) => StreamCredentials
}

/** Whether a URL is under our resource server (a payment or wallet address that only we hold). */
export const isUnderResourceServer = (deps: LocalReceiverDeps, url: string): boolean => {
  const base = deps.resourceServerUrl.replace(/\/+$/, '')
  return sameBaseUrl(url, base) || url.toLowerCase().startsWith(`${base.toLowerCase()}/`)
}

export const toLocalReceiver = (
  deps: LocalReceiverDeps,
  payment: IncomingPayment,
  walletAddressUrl: string,
): Receiver =>
  localReceiver(payment, {
    resourceServerUrl: deps.resourceServerUrl,
    walletAddressUrl,
    ilp: (id) => {
      const { ilpAddress, sharedSecret } = deps.streamCredentials(id)
      return { ilpAddress, sharedSecret }
    },
  })
