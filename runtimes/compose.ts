// The one place that wires the object graph. Clients created at boot are registered as values;
// use cases and apps as cached factories. No decorators: tokens are explicit and typed.
import 'reflect-metadata'
import type { Sql } from 'postgres'
import { container as rootContainer, type DependencyContainer } from 'tsyringe'
import { makeRunIdempotent, type RunIdempotent } from '../application/admin/run-idempotent.ts'
import { makeCreateAsset, type CreateAsset } from '../application/assets/create-asset.ts'
import { makeDeleteAsset, type DeleteAsset } from '../application/assets/delete-asset.ts'
import {
  makeGetAssetByCodeAndScale,
  type GetAssetByCodeAndScale,
} from '../application/assets/get-asset-by-code-and-scale.ts'
import { makeGetAsset, type GetAsset } from '../application/assets/get-asset.ts'
import { makeListAssets, type ListAssets } from '../application/assets/list-assets.ts'
import { makeUpdateAsset, type UpdateAsset } from '../application/assets/update-asset.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import { makeCheckAssetLiquidity } from '../application/liquidity/check-asset-liquidity.ts'
import {
  makeCreateAssetLiquidityWithdrawal,
  type CreateAssetLiquidityWithdrawal,
} from '../application/liquidity/create-asset-liquidity-withdrawal.ts'
import {
  makeDepositAssetLiquidity,
  type DepositAssetLiquidity,
} from '../application/liquidity/deposit-asset-liquidity.ts'
import {
  makeGetAccountingTransfers,
  type GetAccountingTransfers,
} from '../application/liquidity/get-accounting-transfers.ts'
import { makeGetLiquidity, type GetLiquidity } from '../application/liquidity/get-liquidity.ts'
import {
  makeSettleLiquidityWithdrawal,
  type SettleLiquidityWithdrawal,
} from '../application/liquidity/settle-liquidity-withdrawal.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Locks } from '../application/ports/lock.ts'
import type { Ledger } from '../application/ports/ledger.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { WebhookEventRepository } from '../application/ports/webhook-event-repository.ts'
import { webhookWorkTopic } from '../application/ports/webhook-event-repository.ts'
import type { WorkSignal } from '../application/ports/work-signal.ts'
import { makeDeliverNextWebhook } from '../application/webhooks/deliver-next-webhook.ts'
import {
  makeEmitWebhookEvent,
  type EmitWebhookEvent,
} from '../application/webhooks/emit-webhook-event.ts'
import {
  makeListWebhookEvents,
  type ListWebhookEvents,
} from '../application/webhooks/list-webhook-events.ts'
import { makeWorkerLoop, type WorkerLoop } from '../application/workers/worker-loop.ts'
import { webhookRetryPolicyDefault } from '../domain/webhooks/webhook-event.ts'
import { makePostgresWebhookEventRepository } from '../adapters/postgres/webhook-event-repository.ts'
import { makeHttpWebhookSender } from '../adapters/webhooks/http-webhook-sender.ts'
import { makeAdminGraphql } from '../adapters/graphql/admin-graphql.ts'
import { makeAdminApp } from '../adapters/http/admin-app.ts'
import { makePostgresAssetRepository } from '../adapters/postgres/asset-repository.ts'
import type { InstanceKey } from '../adapters/system/instance-key.ts'
import type { Config } from './config.ts'
import type { FetchHandler } from './serve.ts'
import { registrar, token, type Factory, type Get } from './tokens.ts'
import { incomingPaymentTokens, registerIncomingPayments } from './compose-incoming-payments.ts'
import { registerWalletAddresses, walletAddressTokens } from './compose-wallet-addresses.ts'
import { openPaymentsTokens, registerOpenPayments } from './compose-open-payments.ts'
import { peerTokens, registerPeers } from './compose-peers.ts'
import { connectorTokens, registerConnector } from './compose-connector.ts'
import { autoPeeringTokens, registerAutoPeering } from './compose-auto-peering.ts'
import { feeTokens, registerFees } from './compose-fees.ts'
import { receiverTokens, registerReceivers } from './compose-receivers.ts'
import { quoteTokens, registerQuotes } from './compose-quotes.ts'
import { outgoingPaymentTokens, registerOutgoingPayments } from './compose-outgoing-payments.ts'
import { ilpPaymentTokens, registerIlpPayments } from './compose-ilp-payments.ts'
import { authTokens, registerAuth } from './compose-auth.ts'

export const tokens = {
  config: token<Config>('Config'),
  logger: token<Logger>('Logger'),
  clock: token<Clock>('Clock'),
  ids: token<IdGenerator>('IdGenerator'),
  cache: token<Cache>('Cache'),
  locks: token<Locks>('Locks'),
  sql: token<Sql>('Sql'),
  ledger: token<Ledger>('Ledger'),
  workSignal: token<WorkSignal>('WorkSignal'),
  instanceKey: token<InstanceKey>('InstanceKey'),
  webhookEvents: token<WebhookEventRepository>('WebhookEventRepository'),
  emitWebhookEvent: token<EmitWebhookEvent>('EmitWebhookEvent'),
  listWebhookEvents: token<ListWebhookEvents>('ListWebhookEvents'),
  webhookWorkers: token<readonly WorkerLoop[]>('WebhookWorkers'),
  /** Background workers the boot starts and stops. */
  workers: token<readonly WorkerLoop[]>('Workers'),
  getLiquidity: token<GetLiquidity>('GetLiquidity'),
  depositAssetLiquidity: token<DepositAssetLiquidity>('DepositAssetLiquidity'),
  createAssetLiquidityWithdrawal: token<CreateAssetLiquidityWithdrawal>(
    'CreateAssetLiquidityWithdrawal',
  ),
  postLiquidityWithdrawal: token<SettleLiquidityWithdrawal>('PostLiquidityWithdrawal'),
  voidLiquidityWithdrawal: token<SettleLiquidityWithdrawal>('VoidLiquidityWithdrawal'),
  getAccountingTransfers: token<GetAccountingTransfers>('GetAccountingTransfers'),
  assetRepository: token<AssetRepository>('AssetRepository'),
  runIdempotent: token<RunIdempotent>('RunIdempotent'),
  createAsset: token<CreateAsset>('CreateAsset'),
  updateAsset: token<UpdateAsset>('UpdateAsset'),
  deleteAsset: token<DeleteAsset>('DeleteAsset'),
  getAsset: token<GetAsset>('GetAsset'),
  getAssetByCodeAndScale: token<GetAssetByCodeAndScale>('GetAssetByCodeAndScale'),
  listAssets: token<ListAssets>('ListAssets'),
  adminApp: token<FetchHandler>('AdminApp'),
  openPaymentsApp: token<FetchHandler>('OpenPaymentsApp'),
  connectorApp: token<FetchHandler>('ConnectorApp'),
} as const

/** Clients opened at boot (database, cache, ...), handed to the graph as values. */
export type Infrastructure = {
  readonly config: Config
  readonly logger: Logger
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly cache: Cache
  readonly locks: Locks
  readonly sql: Sql
  /** AUTH_DATABASE_URL's pool when it is set; the node's own database otherwise. */
  readonly authSql?: Sql
  readonly ledger: Ledger
  readonly workSignal: WorkSignal
  /** KEY_ID / PRIVATE_KEY_FILE: the node's own signing key. */
  readonly instanceKey: InstanceKey
}

export type Graph = { readonly get: Get; readonly container: DependencyContainer }

export function compose(infra: Infrastructure): Graph {
  const container = rootContainer.createChildContainer()
  const { value, factory } = registrar(container)
  value(tokens.config, infra.config)
  value(tokens.logger, infra.logger)
  value(tokens.clock, infra.clock)
  value(tokens.ids, infra.ids)
  value(tokens.cache, infra.cache)
  value(tokens.locks, infra.locks)
  value(tokens.sql, infra.sql)
  value(tokens.ledger, infra.ledger)
  value(tokens.workSignal, infra.workSignal)
  value(tokens.instanceKey, infra.instanceKey)
  value(authTokens.authSql, infra.authSql ?? infra.sql)
  registerWebhooks(factory)
  registerAssets(factory)
  registerFees(factory, tokens)
  registerLiquidity(factory)
  registerPeers(factory, tokens)
  registerWalletAddresses(factory, {
    ...tokens,
    onDeactivated: incomingPaymentTokens.capExpiryOnDeactivation,
  })
  registerIncomingPayments(factory, {
    ...tokens,
    walletAddressRepository: walletAddressTokens.walletAddressRepository,
  })
  registerAuth(factory, { ...tokens, clientKeys: openPaymentsTokens.clientKeys })
  registerOpenPayments(factory, {
    ...tokens,
    inProcessIntrospection: authTokens.inProcessIntrospection,
  })
  registerConnector(factory, tokens)
  registerAutoPeering(factory, tokens)
  registerReceivers(factory, tokens)
  registerQuotes(factory, {
    ...tokens,
    walletAddressRepository: walletAddressTokens.walletAddressRepository,
    feeRepository: feeTokens.feeRepository,
    rates: connectorTokens.rates,
    receivers: receiverTokens.receivers,
    ilpQuoter: ilpPaymentTokens.quoter,
  })
  registerIlpPayments(factory, tokens)
  registerOutgoingPayments(factory, {
    ...tokens,
    walletAddressRepository: walletAddressTokens.walletAddressRepository,
    incomingPaymentRepository: incomingPaymentTokens.incomingPaymentRepository,
    quoteRepository: quoteTokens.quoteRepository,
    createQuote: quoteTokens.createQuote,
    receivers: receiverTokens.receivers,
  })
  registerApps(factory)
  return { get: (t) => container.resolve(t), container }
}

function registerAssets(factory: Factory): void {
  factory(tokens.assetRepository, (get) => makePostgresAssetRepository(get(tokens.sql)))
  const assetDeps = (get: Get) => ({
    assets: get(tokens.assetRepository),
    clock: get(tokens.clock),
    ids: get(tokens.ids),
    ledger: get(tokens.ledger),
  })
  factory(tokens.createAsset, (get) => makeCreateAsset(assetDeps(get)))
  factory(tokens.updateAsset, (get) => makeUpdateAsset(assetDeps(get)))
  factory(tokens.deleteAsset, (get) =>
    makeDeleteAsset({
      ...assetDeps(get),
      isAssetInUse: async (assetId) =>
        (await get(walletAddressTokens.walletAddressRepository).existsWithAsset(assetId)) ||
        (await get(peerTokens.peerRepository).existsWithAsset(assetId)),
    }),
  )
  factory(tokens.getAsset, (get) => makeGetAsset(assetDeps(get)))
  factory(tokens.getAssetByCodeAndScale, (get) => makeGetAssetByCodeAndScale(assetDeps(get)))
  factory(tokens.listAssets, (get) => makeListAssets(assetDeps(get)))
}

function registerWebhooks(factory: Factory): void {
  factory(tokens.webhookEvents, (get) => makePostgresWebhookEventRepository(get(tokens.sql)))
  factory(tokens.emitWebhookEvent, (get) =>
    makeEmitWebhookEvent({
      clock: get(tokens.clock),
      ids: get(tokens.ids),
      events: get(tokens.webhookEvents),
      signal: get(tokens.workSignal),
    }),
  )
  factory(tokens.listWebhookEvents, (get) =>
    makeListWebhookEvents({ events: get(tokens.webhookEvents) }),
  )
  factory(tokens.workers, (get) => [
    ...get(tokens.webhookWorkers),
    get(incomingPaymentTokens.incomingPaymentWorker),
    get(walletAddressTokens.walletAddressWorker),
    get(outgoingPaymentTokens.outgoingPaymentWorker),
    ...get(authTokens.workers),
  ])
  factory(tokens.webhookWorkers, (get) => {
    const config = get(tokens.config)
    const logger = get(tokens.logger)
    // Without WEBHOOK_URL (allowed outside production) events stay listed, undelivered.
    if (config.WEBHOOK_URL === undefined) {
      logger.warn({}, 'WEBHOOK_URL is unset: webhook events are recorded but not delivered')
      return []
    }
    const deliver = makeDeliverNextWebhook({
      events: get(tokens.webhookEvents),
      sender: makeHttpWebhookSender({
        url: config.WEBHOOK_URL,
        timeoutMs: config.WEBHOOK_TIMEOUT,
        signing:
          config.SIGNATURE_SECRET === undefined
            ? undefined
            : { secret: config.SIGNATURE_SECRET, version: config.SIGNATURE_VERSION },
        clock: get(tokens.clock),
      }),
      clock: get(tokens.clock),
      logger,
      retryPolicy: { ...webhookRetryPolicyDefault, attemptsMax: config.WEBHOOK_MAX_RETRY },
      // Well over one attempt's timeout: a lease ending mid-POST would let another worker resend.
      leaseMs: config.WEBHOOK_TIMEOUT * 2 + 5_000,
    })
    return [
      makeWorkerLoop(
        { processNext: deliver, signal: get(tokens.workSignal), logger },
        {
          name: 'webhook',
          topic: webhookWorkTopic,
          concurrency: config.WEBHOOK_WORKERS,
          idleMs: config.WEBHOOK_WORKER_IDLE,
        },
      ),
    ]
  })
}

function registerLiquidity(factory: Factory): void {
  const ledgerDeps = (get: Get) => ({
    assets: get(tokens.assetRepository),
    ledger: get(tokens.ledger),
    ids: get(tokens.ids),
  })
  factory(tokens.getLiquidity, (get) => makeGetLiquidity(ledgerDeps(get)))
  factory(tokens.depositAssetLiquidity, (get) => makeDepositAssetLiquidity(ledgerDeps(get)))
  factory(tokens.createAssetLiquidityWithdrawal, (get) =>
    makeCreateAssetLiquidityWithdrawal({
      ...ledgerDeps(get),
      afterDebit: makeCheckAssetLiquidity({
        getLiquidity: get(tokens.getLiquidity),
        emit: get(tokens.emitWebhookEvent),
      }),
    }),
  )
  factory(tokens.postLiquidityWithdrawal, (get) =>
    makeSettleLiquidityWithdrawal('post', ledgerDeps(get)),
  )
  factory(tokens.voidLiquidityWithdrawal, (get) =>
    makeSettleLiquidityWithdrawal('void', ledgerDeps(get)),
  )
  factory(tokens.getAccountingTransfers, (get) => makeGetAccountingTransfers(ledgerDeps(get)))
}

function registerApps(factory: Factory): void {
  factory(tokens.runIdempotent, (get) =>
    makeRunIdempotent({
      cache: get(tokens.cache),
      locks: get(tokens.locks),
      keyTtlMs: get(tokens.config).GRAPHQL_IDEMPOTENCY_KEY_TTL_MS,
      lockTtlMs: get(tokens.config).GRAPHQL_IDEMPOTENCY_KEY_LOCK_MS,
    }),
  )
  factory(tokens.adminApp, (get) => {
    const config = get(tokens.config)
    const graphql = makeAdminGraphql({
      logger: get(tokens.logger),
      graphiql: !config.isProduction,
      runIdempotent: get(tokens.runIdempotent),
      listGrants: get(authTokens.listGrants),
      getGrant: get(authTokens.getGrant),
      revokeGrantByAdmin: get(authTokens.revokeGrantByAdmin),
      createAsset: get(tokens.createAsset),
      updateAsset: get(tokens.updateAsset),
      deleteAsset: get(tokens.deleteAsset),
      getAsset: get(tokens.getAsset),
      getAssetByCodeAndScale: get(tokens.getAssetByCodeAndScale),
      listAssets: get(tokens.listAssets),
      getLiquidity: get(tokens.getLiquidity),
      depositAssetLiquidity: get(tokens.depositAssetLiquidity),
      createAssetLiquidityWithdrawal: get(tokens.createAssetLiquidityWithdrawal),
      postLiquidityWithdrawal: get(tokens.postLiquidityWithdrawal),
      voidLiquidityWithdrawal: get(tokens.voidLiquidityWithdrawal),
      getAccountingTransfers: get(tokens.getAccountingTransfers),
      listWebhookEvents: get(tokens.listWebhookEvents),
      createWalletAddress: get(walletAddressTokens.createWalletAddress),
      updateWalletAddress: get(walletAddressTokens.updateWalletAddress),
      getWalletAddress: get(walletAddressTokens.getWalletAddress),
      getWalletAddressByUrl: get(walletAddressTokens.getWalletAddressByUrl),
      listWalletAddresses: get(walletAddressTokens.listWalletAddresses),
      createWalletAddressKey: get(walletAddressTokens.createWalletAddressKey),
      revokeWalletAddressKey: get(walletAddressTokens.revokeWalletAddressKey),
      listWalletAddressKeys: get(walletAddressTokens.listWalletAddressKeys),
      createIncomingPayment: get(incomingPaymentTokens.createIncomingPayment),
      updateIncomingPayment: get(incomingPaymentTokens.updateIncomingPayment),
      approveIncomingPayment: get(incomingPaymentTokens.approveIncomingPayment),
      cancelIncomingPayment: get(incomingPaymentTokens.cancelIncomingPayment),
      getIncomingPayment: get(incomingPaymentTokens.getIncomingPayment),
      listIncomingPayments: get(incomingPaymentTokens.listIncomingPayments),
      createIncomingPaymentWithdrawal: get(incomingPaymentTokens.createIncomingPaymentWithdrawal),
      listPayments: get(incomingPaymentTokens.listPayments),
      createWalletAddressWithdrawal: get(walletAddressTokens.createWalletAddressWithdrawal),
      triggerWalletAddressEvents: get(walletAddressTokens.triggerWalletAddressEvents),
      createPeer: get(peerTokens.createPeer),
      updatePeer: get(peerTokens.updatePeer),
      deletePeer: get(peerTokens.deletePeer),
      getPeer: get(peerTokens.getPeer),
      getPeerByAddressAndAsset: get(peerTokens.getPeerByAddressAndAsset),
      listPeers: get(peerTokens.listPeers),
      depositPeerLiquidity: get(peerTokens.depositPeerLiquidity),
      createPeerLiquidityWithdrawal: get(peerTokens.createPeerLiquidityWithdrawal),
      createOrUpdatePeerByUrl: get(autoPeeringTokens.createOrUpdatePeerByUrl),
      setFee: get(feeTokens.setFee),
      currentFee: get(feeTokens.currentFee),
      listFees: get(feeTokens.listFees),
      createQuote: get(quoteTokens.createQuote),
      getQuote: get(quoteTokens.getQuote),
      listQuotes: get(quoteTokens.listQuotes),
      receivers: get(receiverTokens.receivers),
      createOutgoingPayment: get(outgoingPaymentTokens.createOutgoingPayment),
      createOutgoingPaymentFromIncomingPayment: get(
        outgoingPaymentTokens.createOutgoingPaymentFromIncomingPayment,
      ),
      getOutgoingPayment: get(outgoingPaymentTokens.getOutgoingPayment),
      listOutgoingPayments: get(outgoingPaymentTokens.listOutgoingPayments),
      cancelOutgoingPayment: get(outgoingPaymentTokens.cancelOutgoingPayment),
      depositOutgoingPaymentLiquidity: get(outgoingPaymentTokens.depositOutgoingPaymentLiquidity),
      createOutgoingPaymentWithdrawal: get(outgoingPaymentTokens.createOutgoingPaymentWithdrawal),
    })
    return makeAdminApp({
      graphql,
      logger: get(tokens.logger),
      cache: get(tokens.cache),
      clock: get(tokens.clock),
      apiSecret: config.API_SECRET,
      apiSignatureVersion: config.API_SIGNATURE_VERSION,
      signatureTtlSeconds: config.ADMIN_API_SIGNATURE_TTL_SECONDS,
    })
  })
}
