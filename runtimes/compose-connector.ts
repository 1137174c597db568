// Wiring of the ILP connector: exchange rates, the peer directory, ILP-over-HTTP client and
// server, the STREAM receiver and the packet pipeline.
import { randomBytes } from 'node:crypto'
import type { Sql } from 'postgres'
import { makeConnectorApp } from '../adapters/http/connector-app.ts'
import { makeHttpPeerClient } from '../adapters/ilp/http-peer-client.ts'
import { makeStreamReceiver } from '../adapters/ilp/stream-receiver.ts'
import { makeHttpRates } from '../adapters/rates/http-rates.ts'
import { makeDeliverLocally } from '../application/connector/deliver-locally.ts'
import {
  makeLiquidityReservations,
  type LiquidityReservations,
} from '../application/connector/liquidity-reservations.ts'
import {
  makeHandlePacket,
  type ConvertAmount,
  type HandlePacket,
} from '../application/connector/handle-packet.ts'
import type { PeerAccount } from '../application/connector/accounts.ts'
import { makePeerDirectory } from '../application/connector/peer-directory.ts'
import { makeTokenBucketLimiter } from '../application/connector/rate-limiter.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Cache } from '../application/ports/cache.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Ledger } from '../application/ports/ledger.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { PeerDirectory } from '../application/ports/peer-directory.ts'
import type { Rates } from '../application/ports/rates.ts'
import type { StreamReceiver } from '../application/ports/stream-receiver.ts'
import type { WorkSignal } from '../application/ports/work-signal.ts'
import { err } from '../domain/shared/result.ts'
import type { Config } from './config.ts'
import { incomingPaymentTokens } from './compose-incoming-payments.ts'
import { peerTokens } from './compose-peers.ts'
import { walletAddressTokens } from './compose-wallet-addresses.ts'
import type { FetchHandler } from './serve.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

const ratesTimeoutMs = 5_000
// Peers change rarely and each change wakes every replica; this only bounds a lost wake-up.
const peerDirectoryRefreshMs = 10_000
// Forwarded packets keep 1 s of their expiry for the reply's way back, and hold liquidity 30 s
// at most whatever the sender asked.
const expiryWindowMs = 1_000
const holdWindowMsMax = 30_000
// Per sending account: a burst of 20,000 packets, then 10,000 per second.
const rateLimit = { capacity: 20_000, refillPerSecond: 10_000 }

export const connectorTokens = {
  rates: token<Rates>('Rates'),
  peerDirectory: token<PeerDirectory>('PeerDirectory'),
  streamReceiver: token<StreamReceiver>('StreamReceiver'),
  handlePacket: token<HandlePacket>('HandlePacket'),
  liquidityReservations: token<LiquidityReservations>('LiquidityReservations'),
} as const

export type ConnectorBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly cache: Token<Cache>
  readonly sql: Token<Sql>
  readonly ledger: Token<Ledger>
  readonly workSignal: Token<WorkSignal>
  readonly assetRepository: Token<AssetRepository>
  readonly connectorApp: Token<FetchHandler>
}

export function registerConnector(factory: Factory, base: ConnectorBaseTokens): void {
  const t = connectorTokens
  factory(t.rates, (get) => {
    const config = get(base.config)
    return makeHttpRates({
      url: config.EXCHANGE_RATES_URL,
      lifetimeMs: config.EXCHANGE_RATES_LIFETIME,
      timeoutMs: ratesTimeoutMs,
      clock: get(base.clock),
    })
  })
  factory(t.peerDirectory, (get) =>
    makePeerDirectory({
      peers: get(peerTokens.peerRepository),
      assets: get(base.assetRepository),
      signal: get(base.workSignal),
      clock: get(base.clock),
      logger: get(base.logger),
      refreshMs: peerDirectoryRefreshMs,
    }),
  )
  factory(t.streamReceiver, (get) => {
    const config = get(base.config)
    return makeStreamReceiver({
      ilpAddress: config.ILP_ADDRESS,
      secret: streamSecret(config, get(base.logger)),
      cache: get(base.cache),
    })
  })
  factory(t.liquidityReservations, (get) =>
    makeLiquidityReservations({
      ledger: get(base.ledger),
      ids: get(base.ids),
      clock: get(base.clock),
      logger: get(base.logger),
      holdWindowMsMax,
    }),
  )
  factory(t.handlePacket, (get) => {
    const config = get(base.config)
    const convert = convertWith(get(t.rates))
    const common = {
      ilpAddress: config.ILP_ADDRESS,
      ledger: get(base.ledger),
      convert,
      clock: get(base.clock),
      ids: get(base.ids),
      logger: get(base.logger),
    }
    return makeHandlePacket({
      ilpAddress: config.ILP_ADDRESS,
      convert,
      clock: get(base.clock),
      logger: get(base.logger),
      reservations: get(t.liquidityReservations),
      peers: get(t.peerDirectory),
      client: makeHttpPeerClient(),
      rateLimiter: makeTokenBucketLimiter(rateLimit),
      expiryWindowMs,
      holdWindowMsMax,
      afterPeerDebit: throttledPeerLiquidityCheck(get, get(base.logger)),
      deliverLocally: makeDeliverLocally({
        ...common,
        stream: get(t.streamReceiver),
        incomingPayments: get(incomingPaymentTokens.incomingPaymentRepository),
        creditIncomingPayment: get(incomingPaymentTokens.creditIncomingPayment),
        walletAddresses: get(walletAddressTokens.walletAddressRepository),
        assets: get(base.assetRepository),
        withdrawalThrottleDelayMs: config.WITHDRAWAL_THROTTLE_DELAY ?? 0,
      }),
    })
  })
  factory(base.connectorApp, (get) =>
    makeConnectorApp({
      logger: get(base.logger),
      peers: get(t.peerDirectory),
      handlePacket: get(t.handlePacket),
    }),
  )
}

// peer.liquidity_low is checked at most this often per peer: at thousands of packets a second
// the ASE needs one warning, not one per packet.
const peerLiquidityCheckIntervalMs = 1_000

function throttledPeerLiquidityCheck(get: Get, logger: Logger): (peer: PeerAccount) => void {
  const lastCheckMs = new Map<string, number>()
  return (peer) => {
    if (peer.liquidityThreshold === null) return
    const nowMs = Date.now()
    if (nowMs - (lastCheckMs.get(peer.id) ?? 0) < peerLiquidityCheckIntervalMs) return
    lastCheckMs.set(peer.id, nowMs)
    void (async () => {
      const found = await get(peerTokens.peerRepository).getById(peer.id)
      if (found) await get(peerTokens.checkPeerLiquidity)(found)
    })().catch((error: unknown) => logger.error({ err: error }, 'peer liquidity check failed'))
  }
}

const convertWith =
  (rates: Rates): ConvertAmount =>
  async (amount, from, to) => {
    const converted = await rates.convertSource({
      sourceAmount: amount,
      sourceAsset: from,
      destinationAsset: to,
    })
    if (converted.ok) return converted
    return err(converted.error === 'amount_overflow' ? 'too_large' : 'no_rate')
  }

/** STREAM_SECRET, or a random one: then STREAM addresses die with the process. */
function streamSecret(config: Config, logger: Logger): Buffer {
  if (config.STREAM_SECRET !== undefined) return Buffer.from(config.STREAM_SECRET, 'base64')
  logger.warn(
    {},
    'STREAM_SECRET is unset: a random one is used, so STREAM addresses do not survive a restart and replicas cannot share them',
  )
  return randomBytes(32)
}
