// Wiring of wallet addresses and their keys.
import type { Sql } from 'postgres'
import {
  makeCreateWalletAddressWithdrawal,
  type CreateWalletAddressWithdrawal,
} from '../application/liquidity/create-wallet-address-withdrawal.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Ledger } from '../application/ports/ledger.ts'
import type { WorkSignal } from '../application/ports/work-signal.ts'
import type { OnWalletAddressDeactivated } from '../application/wallet-addresses/update-wallet-address.ts'
import type { WalletAddressKeyRepository } from '../application/ports/wallet-address-key-repository.ts'
import type { WalletAddressRepository } from '../application/ports/wallet-address-repository.ts'
import {
  makeCreateWalletAddressKey,
  type CreateWalletAddressKey,
} from '../application/wallet-addresses/create-wallet-address-key.ts'
import {
  makeCreateWalletAddress,
  type CreateWalletAddress,
} from '../application/wallet-addresses/create-wallet-address.ts'
import {
  makeGetActiveWalletAddress,
  type GetActiveWalletAddress,
} from '../application/wallet-addresses/get-active-wallet-address.ts'
import {
  makeGetWalletAddressByUrl,
  type GetWalletAddressByUrl,
} from '../application/wallet-addresses/get-wallet-address-by-url.ts'
import {
  makeGetWalletAddressJwks,
  type GetWalletAddressJwks,
} from '../application/wallet-addresses/get-wallet-address-jwks.ts'
import {
  makeGetWalletAddress,
  type GetWalletAddress,
} from '../application/wallet-addresses/get-wallet-address.ts'
import {
  makeListWalletAddressKeys,
  type ListWalletAddressKeys,
} from '../application/wallet-addresses/list-wallet-address-keys.ts'
import {
  makeListWalletAddresses,
  type ListWalletAddresses,
} from '../application/wallet-addresses/list-wallet-addresses.ts'
import {
  makeRevokeWalletAddressKey,
  type RevokeWalletAddressKey,
} from '../application/wallet-addresses/revoke-wallet-address-key.ts'
import {
  makeTriggerWalletAddressEvents,
  type TriggerWalletAddressEvents,
} from '../application/wallet-addresses/trigger-wallet-address-events.ts'
import {
  makeUpdateWalletAddress,
  type UpdateWalletAddress,
} from '../application/wallet-addresses/update-wallet-address.ts'
import { makePostgresWalletAddressKeyRepository } from '../adapters/postgres/wallet-address-key-repository.ts'
import { makePostgresWalletAddressRepository } from '../adapters/postgres/wallet-address-repository.ts'
import { incomingPaymentTokens } from './compose-incoming-payments.ts'
import type { Config } from './config.ts'
import type { Logger } from '../application/ports/logger.ts'
import {
  makeProcessNextWalletAddressEvents,
  walletAddressWorkTopic,
} from '../application/workers/process-next-wallet-address-events.ts'
import { makeWorkerLoop, type WorkerLoop } from '../application/workers/worker-loop.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

export const walletAddressTokens = {
  walletAddressRepository: token<WalletAddressRepository>('WalletAddressRepository'),
  walletAddressKeyRepository: token<WalletAddressKeyRepository>('WalletAddressKeyRepository'),
  createWalletAddress: token<CreateWalletAddress>('CreateWalletAddress'),
  updateWalletAddress: token<UpdateWalletAddress>('UpdateWalletAddress'),
  getWalletAddress: token<GetWalletAddress>('GetWalletAddress'),
  getWalletAddressByUrl: token<GetWalletAddressByUrl>('GetWalletAddressByUrl'),
  listWalletAddresses: token<ListWalletAddresses>('ListWalletAddresses'),
  createWalletAddressKey: token<CreateWalletAddressKey>('CreateWalletAddressKey'),
  revokeWalletAddressKey: token<RevokeWalletAddressKey>('RevokeWalletAddressKey'),
  listWalletAddressKeys: token<ListWalletAddressKeys>('ListWalletAddressKeys'),
  getActiveWalletAddress: token<GetActiveWalletAddress>('GetActiveWalletAddress'),
  getWalletAddressJwks: token<GetWalletAddressJwks>('GetWalletAddressJwks'),
  createWalletAddressWithdrawal: token<CreateWalletAddressWithdrawal>(
    'CreateWalletAddressWithdrawal',
  ),
  triggerWalletAddressEvents: token<TriggerWalletAddressEvents>('TriggerWalletAddressEvents'),
  walletAddressWorker: token<WorkerLoop>('WalletAddressWorker'),
} as const

// Wallet addresses reported per transaction by triggerWalletAddressEvents.
const walletAddressEventsBatchMax = 100

/** The tokens of the rest of the graph that wallet addresses depend on. */
export type WalletAddressBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly sql: Token<Sql>
  readonly assetRepository: Token<AssetRepository>
  readonly ledger: Token<Ledger>
  readonly workSignal: Token<WorkSignal>
  /** What happens to open incoming payments when an address is deactivated. */
  readonly onDeactivated: Token<OnWalletAddressDeactivated>
}

export function registerWalletAddresses(factory: Factory, base: WalletAddressBaseTokens): void {
  const t = walletAddressTokens
  factory(t.walletAddressRepository, (get) => makePostgresWalletAddressRepository(get(base.sql)))
  factory(t.walletAddressKeyRepository, (get) =>
    makePostgresWalletAddressKeyRepository(get(base.sql)),
  )
  const deps = (get: Get) => ({
    walletAddresses: get(t.walletAddressRepository),
    keys: get(t.walletAddressKeyRepository),
    assets: get(base.assetRepository),
    clock: get(base.clock),
    ids: get(base.ids),
    // Rafiki requires https; outside production http://localhost addresses are allowed too.
    allowHttp: !get(base.config).isProduction,
  })
  factory(t.createWalletAddress, (get) => makeCreateWalletAddress(deps(get)))
  factory(t.updateWalletAddress, (get) =>
    makeUpdateWalletAddress({
      ...deps(get),
      onDeactivated: get(base.onDeactivated),
    }),
  )
  factory(t.getWalletAddress, (get) => makeGetWalletAddress(deps(get)))
  factory(t.getWalletAddressByUrl, (get) => makeGetWalletAddressByUrl(deps(get)))
  factory(t.listWalletAddresses, (get) => makeListWalletAddresses(deps(get)))
  factory(t.createWalletAddressKey, (get) => makeCreateWalletAddressKey(deps(get)))
  factory(t.revokeWalletAddressKey, (get) => makeRevokeWalletAddressKey(deps(get)))
  factory(t.listWalletAddressKeys, (get) => makeListWalletAddressKeys(deps(get)))
  factory(t.getActiveWalletAddress, (get) => makeGetActiveWalletAddress(deps(get)))
  factory(t.getWalletAddressJwks, (get) => makeGetWalletAddressJwks(deps(get)))
  factory(t.createWalletAddressWithdrawal, (get) =>
    makeCreateWalletAddressWithdrawal({ ...deps(get), ledger: get(base.ledger) }),
  )
  factory(t.triggerWalletAddressEvents, (get) =>
    makeTriggerWalletAddressEvents({
      ...deps(get),
      ledger: get(base.ledger),
      // The transactional outbox: reports and their events commit together.
      unitOfWork: get(incomingPaymentTokens.unitOfWork),
      signal: get(base.workSignal),
      batchMax: walletAddressEventsBatchMax,
    }),
  )
  factory(t.walletAddressWorker, (get) => {
    const config = get(base.config)
    return makeWorkerLoop(
      {
        processNext: makeProcessNextWalletAddressEvents({
          triggerWalletAddressEvents: get(t.triggerWalletAddressEvents),
          batchMax: walletAddressEventsBatchMax,
        }),
        signal: get(base.workSignal),
        logger: get(base.logger),
      },
      {
        name: 'wallet_address',
        topic: walletAddressWorkTopic,
        concurrency: config.WALLET_ADDRESS_WORKERS,
        idleMs: config.WALLET_ADDRESS_WORKER_IDLE,
      },
    )
  })
}
