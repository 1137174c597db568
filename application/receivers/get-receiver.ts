import {
  parseIncomingPaymentUrl,
  sameBaseUrl,
} from '../../domain/receivers/incoming-payment-url.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { GetIncomingPayment } from '../incoming-payments/get-incoming-payment.ts'
import type { ReceiverError } from '../ports/receivers.ts'
import type { RemoteError, RemoteOpenPayments } from '../ports/remote-open-payments.ts'
import { toLocalReceiver, type LocalReceiverDeps } from './local-receivers.ts'
import type { WithGrant } from './with-grant.ts'

export type GetReceiver = (url: string) => Promise<Result<Receiver, ReceiverError>>

export type GetReceiverDeps = LocalReceiverDeps & {
  readonly getIncomingPayment: GetIncomingPayment
  readonly remote: RemoteOpenPayments
  readonly withGrant: WithGrant
}

const remoteErrors = {
  not_found: 'unknown_receiver',
  unauthorized: 'receiver_unreachable',
  refused: 'receiver_unreachable',
  unreachable: 'receiver_unreachable',
} as const satisfies Record<RemoteError, ReceiverError>

/**
 * An incoming payment URL as a receiver. One under our resource server, or under one of our
 * wallet addresses, is read from our storage (never fetched from ourselves); any other through
 * the Open Payments API of its node: its public view names the authorization server that grants
 * this node access to read it.
 */
export const makeGetReceiver =
  (deps: GetReceiverDeps): GetReceiver =>
  async (url) => {
    const parsed = parseIncomingPaymentUrl(url)
    if (!parsed) return err('unknown_receiver')
    const ours = sameBaseUrl(parsed.prefix, deps.resourceServerUrl)
    const walletAddress = ours ? undefined : await deps.getWalletAddressByUrl(parsed.prefix)
    if (ours || walletAddress) {
      const payment = await deps.getIncomingPayment(parsed.id)
      if (!payment || (walletAddress && payment.walletAddressId !== walletAddress.id)) {
        return err('unknown_receiver')
      }
      const walletAddressUrl =
        walletAddress?.url ?? (await deps.getWalletAddressUrl(payment.walletAddressId))
      if (walletAddressUrl === undefined) return err('unknown_receiver')
      return ok(toLocalReceiver(deps, payment, walletAddressUrl))
    }
    const found = await deps.remote.getPublicIncomingPayment(url)
    if (!found.ok) return err(remoteErrors[found.error])
    const read = await deps.withGrant(found.value.authServer, (accessToken) =>
      deps.remote.getIncomingPayment(url, accessToken),
    )
    return read.ok ? read : err(remoteErrors[read.error])
  }
