// Wiring of receivers: our own incoming payments, and other nodes' through their Open Payments
// API under grants this node stores.
import type { Sql } from 'postgres'
import type { Clock } from '../application/ports/clock.ts'
import type { GrantRepository } from '../application/ports/grant-repository.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { Receivers } from '../application/ports/receivers.ts'
import type { RemoteOpenPayments } from '../application/ports/remote-open-payments.ts'
import { makeReceivers } from '../application/receivers/receivers.ts'
import { makeWithGrant } from '../application/receivers/with-grant.ts'
import { makeGetWalletAddressUrl } from '../application/wallet-addresses/get-wallet-address-url.ts'
import { makeOpenPaymentsClient } from '../adapters/open-payments-client/open-payments-client.ts'
import { makePostgresGrantRepository } from '../adapters/postgres/grant-repository.ts'
import type { InstanceKey } from '../adapters/system/instance-key.ts'
import type { Config } from './config.ts'
import { connectorTokens } from './compose-connector.ts'
import { incomingPaymentTokens } from './compose-incoming-payments.ts'
import { walletAddressTokens } from './compose-wallet-addresses.ts'
import { token, type Factory, type Token } from './tokens.ts'

// One request to another node or its authorization server.
const remoteRequestTimeoutMs = 5_000

export const receiverTokens = {
  receivers: token<Receivers>('Receivers'),
  grantRepository: token<GrantRepository>('GrantRepository'),
  remoteOpenPayments: token<RemoteOpenPayments>('RemoteOpenPayments'),
} as const

/** The tokens of the rest of the graph that receivers depend on. */
export type ReceiverBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly sql: Token<Sql>
  readonly instanceKey: Token<InstanceKey>
}

export function registerReceivers(factory: Factory, base: ReceiverBaseTokens): void {
  const t = receiverTokens
  factory(t.grantRepository, (get) => makePostgresGrantRepository(get(base.sql)))
  factory(t.remoteOpenPayments, (get) => {
    const config = get(base.config)
    const key = get(base.instanceKey)
    return makeOpenPaymentsClient({
      walletAddressUrl: config.WALLET_ADDRESS_URL,
      keyId: key.keyId,
      privateKey: key.privateKey,
      requestTimeoutMs: remoteRequestTimeoutMs,
      logger: get(base.logger),
    })
  })
  factory(t.receivers, (get) => {
    const remote = get(t.remoteOpenPayments)
    const withGrant = makeWithGrant({
      grants: get(t.grantRepository),
      remote,
      clock: get(base.clock),
      ids: get(base.ids),
      logger: get(base.logger),
    })
    return makeReceivers({
      resourceServerUrl: get(base.config).OPEN_PAYMENTS_URL,
      getWalletAddressByUrl: get(walletAddressTokens.getWalletAddressByUrl),
      getWalletAddressUrl: makeGetWalletAddressUrl({
        walletAddresses: get(walletAddressTokens.walletAddressRepository),
      }),
      streamCredentials: (id) =>
        get(connectorTokens.streamReceiver).credentials({ kind: 'incoming-payment', id }),
      getIncomingPayment: get(incomingPaymentTokens.getIncomingPayment),
      createIncomingPayment: get(incomingPaymentTokens.createIncomingPayment),
      remote,
      withGrant,
      clock: get(base.clock),
    })
  })
}
