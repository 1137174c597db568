import { isUInt64 } from '../../domain/shared/uint64.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type {
  CreateIncomingPayment,
  CreateIncomingPaymentError,
} from '../incoming-payments/create-incoming-payment.ts'
import type { Clock } from '../ports/clock.ts'
import type { CreateReceiverInput, ReceiverError } from '../ports/receivers.ts'
import type { RemoteError, RemoteOpenPayments } from '../ports/remote-open-payments.ts'
import {
  isUnderResourceServer,
  toLocalReceiver,
  type LocalReceiverDeps,
} from './local-receivers.ts'
import type { WithGrant } from './with-grant.ts'

export type CreateReceiver = (
  input: CreateReceiverInput,
) => Promise<Result<Receiver, ReceiverError>>

export type CreateReceiverDeps = LocalReceiverDeps & {
  readonly createIncomingPayment: CreateIncomingPayment
  readonly remote: RemoteOpenPayments
  readonly withGrant: WithGrant
  readonly clock: Clock
}

// Rafiki answers an inactive wallet address as unknown to a remote sender; so do we, here too.
const localErrors = {
  unknown_wallet_address: 'unknown_wallet_address',
  inactive_wallet_address: 'unknown_wallet_address',
  invalid_amount: 'invalid_amount',
  invalid_expiry: 'invalid_expiry',
} as const satisfies Record<CreateIncomingPaymentError, ReceiverError>

const remoteErrors = {
  not_found: 'unknown_wallet_address',
  unauthorized: 'receiver_unreachable',
  refused: 'receiver_unreachable',
  unreachable: 'receiver_unreachable',
} as const satisfies Record<RemoteError, ReceiverError>

/**
 * An incoming payment at a wallet address: through our own use case when the address is ours,
 * through its node's Open Payments API otherwise (under a grant from that node's authorization
 * server). What can be checked here is checked before any remote call.
 */
export const makeCreateReceiver =
  (deps: CreateReceiverDeps): CreateReceiver =>
  async (input) => {
    const walletAddress = await deps.getWalletAddressByUrl(input.walletAddressUrl)
    if (walletAddress) {
      const created = await deps.createIncomingPayment({
        walletAddressId: walletAddress.id,
        incomingAmount: input.incomingAmount,
        expiresAt: input.expiresAt,
        metadata: input.metadata,
      })
      if (!created.ok) return err(localErrors[created.error])
      return ok(toLocalReceiver(deps, created.value, walletAddress.url))
    }
    if (isUnderResourceServer(deps, input.walletAddressUrl)) return err('unknown_wallet_address')
    return createRemote(deps, input)
  }

async function createRemote(
  deps: CreateReceiverDeps,
  input: CreateReceiverInput,
): Promise<Result<Receiver, ReceiverError>> {
  const { incomingAmount, expiresAt } = input
  if (expiresAt && !(expiresAt.getTime() > deps.clock.now())) return err('invalid_expiry')
  if (incomingAmount && !(incomingAmount.value > 0n && isUInt64(incomingAmount.value))) {
    return err('invalid_amount')
  }
  const found = await deps.remote.getWalletAddress(input.walletAddressUrl)
  if (!found.ok) {
    return err(found.error === 'unreachable' ? 'receiver_unreachable' : 'unknown_wallet_address')
  }
  const walletAddress = found.value
  if (
    incomingAmount &&
    (incomingAmount.assetCode !== walletAddress.assetCode ||
      incomingAmount.assetScale !== walletAddress.assetScale)
  ) {
    return err('invalid_amount')
  }
  const created = await deps.withGrant(walletAddress.authServer, (accessToken) =>
    deps.remote.createIncomingPayment(walletAddress.resourceServer, accessToken, {
      walletAddress: walletAddress.id,
      incomingAmount,
      expiresAt,
      metadata: input.metadata,
    }),
  )
  return created.ok ? created : err(remoteErrors[created.error])
}
