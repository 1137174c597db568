// Wiring of outgoing payments: repository, unit of work, use cases, the LOCAL payment method, the
// ILP one's token, and the sending workers.
import type { Sql } from 'postgres'
import {
  makeCancelOutgoingPayment,
  type CancelOutgoingPayment,
} from '../application/outgoing-payments/cancel-outgoing-payment.ts'
import {
  makeCreateOutgoingPaymentFromIncomingPayment,
  type CreateOutgoingPaymentFromIncomingPayment,
} from '../application/outgoing-payments/create-outgoing-payment-from-incoming-payment.ts'
import {
  makeCreateOutgoingPayment,
  type CreateOutgoingPayment,
} from '../application/outgoing-payments/create-outgoing-payment.ts'
import {
  makeCreateOutgoingPaymentWithdrawal,
  type CreateOutgoingPaymentWithdrawal,
} from '../application/outgoing-payments/create-outgoing-payment-withdrawal.ts'
import {
  makeDepositOutgoingPaymentLiquidity,
  type DepositOutgoingPaymentLiquidity,
} from '../application/outgoing-payments/deposit-outgoing-payment-liquidity.ts'
import {
  makeGetGrantSpentAmounts,
  type GetGrantSpentAmounts,
} from '../application/outgoing-payments/get-grant-spent-amounts.ts'
import {
  makeGetOutgoingPayment,
  type GetOutgoingPayment,
} from '../application/outgoing-payments/get-outgoing-payment.ts'
import {
  makeListOutgoingPayments,
  type ListOutgoingPayments,
} from '../application/outgoing-payments/list-outgoing-payments.ts'
import { outgoingPaymentWorkTopic } from '../application/outgoing-payments/work-topic.ts'
import { makeLocalPaymentMethod } from '../application/payment-methods/local.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { IncomingPaymentRepository } from '../application/ports/incoming-payment-repository.ts'
import type { Ledger } from '../application/ports/ledger.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { OutgoingPaymentRepository } from '../application/ports/outgoing-payment-repository.ts'
import type { OutgoingPaymentUnitOfWork } from '../application/ports/outgoing-payment-unit-of-work.ts'
import type { PaymentMethod } from '../application/ports/payment-methods.ts'
import type { QuoteRepository } from '../application/ports/quote-repository.ts'
import type { Receivers } from '../application/ports/receivers.ts'
import type { WalletAddressRepository } from '../application/ports/wallet-address-repository.ts'
import type { WebhookEventRepository } from '../application/ports/webhook-event-repository.ts'
import type { WorkSignal } from '../application/ports/work-signal.ts'
import type { CreateQuote } from '../application/quotes/create-quote.ts'
import { makeProcessNextOutgoingPayment } from '../application/workers/process-next-outgoing-payment.ts'
import { makeWorkerLoop, type WorkerLoop } from '../application/workers/worker-loop.ts'
import { makePostgresOutgoingPaymentRepository } from '../adapters/postgres/outgoing-payment-repository.ts'
import { makePostgresOutgoingPaymentUnitOfWork } from '../adapters/postgres/outgoing-payment-unit-of-work.ts'
import type { Config } from './config.ts'
import { ilpPaymentTokens } from './compose-ilp-payments.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

// A claimed payment is its worker's this long, renewed every third of it while the worker sends,
// so another replica takes it only after a crash, and then within seconds.
const sendLeaseMs = 15_000

export const paymentMethodTokens = {
  local: token<PaymentMethod>('LocalPaymentMethod'),
} as const

export const outgoingPaymentTokens = {
  outgoingPaymentRepository: token<OutgoingPaymentRepository>('OutgoingPaymentRepository'),
  unitOfWork: token<OutgoingPaymentUnitOfWork>('OutgoingPaymentUnitOfWork'),
  createOutgoingPayment: token<CreateOutgoingPayment>('CreateOutgoingPayment'),
  createOutgoingPaymentFromIncomingPayment: token<CreateOutgoingPaymentFromIncomingPayment>(
    'CreateOutgoingPaymentFromIncomingPayment',
  ),
  getOutgoingPayment: token<GetOutgoingPayment>('GetOutgoingPayment'),
  listOutgoingPayments: token<ListOutgoingPayments>('ListOutgoingPayments'),
  getGrantSpentAmounts: token<GetGrantSpentAmounts>('GetGrantSpentAmounts'),
  cancelOutgoingPayment: token<CancelOutgoingPayment>('CancelOutgoingPayment'),
  depositOutgoingPaymentLiquidity: token<DepositOutgoingPaymentLiquidity>(
    'DepositOutgoingPaymentLiquidity',
  ),
  createOutgoingPaymentWithdrawal: token<CreateOutgoingPaymentWithdrawal>(
    'CreateOutgoingPaymentWithdrawal',
  ),
  outgoingPaymentWorker: token<WorkerLoop>('OutgoingPaymentWorker'),
} as const

/** The tokens of the rest of the graph that outgoing payments depend on. */
export type OutgoingPaymentBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly sql: Token<Sql>
  readonly ledger: Token<Ledger>
  readonly workSignal: Token<WorkSignal>
  readonly assetRepository: Token<AssetRepository>
  readonly walletAddressRepository: Token<WalletAddressRepository>
  readonly incomingPaymentRepository: Token<IncomingPaymentRepository>
  readonly webhookEvents: Token<WebhookEventRepository>
  readonly quoteRepository: Token<QuoteRepository>
  readonly createQuote: Token<CreateQuote>
  readonly receivers: Token<Receivers>
}

export function registerOutgoingPayments(factory: Factory, base: OutgoingPaymentBaseTokens): void {
  const t = outgoingPaymentTokens
  factory(t.outgoingPaymentRepository, (get) =>
    makePostgresOutgoingPaymentRepository(get(base.sql)),
  )
  factory(t.unitOfWork, (get) => makePostgresOutgoingPaymentUnitOfWork(get(base.sql)))
  const deps = (get: Get) => ({
    outgoingPayments: get(t.outgoingPaymentRepository),
    unitOfWork: get(t.unitOfWork),
    walletAddresses: get(base.walletAddressRepository),
    incomingPayments: get(base.incomingPaymentRepository),
    assets: get(base.assetRepository),
    quotes: get(base.quoteRepository),
    webhookEvents: get(base.webhookEvents),
    receivers: get(base.receivers),
    ledger: get(base.ledger),
    signal: get(base.workSignal),
    clock: get(base.clock),
    ids: get(base.ids),
    logger: get(base.logger),
  })
  factory(paymentMethodTokens.local, (get) => makeLocalPaymentMethod(deps(get)))
  factory(t.createOutgoingPayment, (get) => makeCreateOutgoingPayment(deps(get)))
  factory(t.createOutgoingPaymentFromIncomingPayment, (get) =>
    makeCreateOutgoingPaymentFromIncomingPayment({
      createQuote: get(base.createQuote),
      createOutgoingPayment: get(t.createOutgoingPayment),
    }),
  )
  factory(t.getOutgoingPayment, (get) => makeGetOutgoingPayment(deps(get)))
  factory(t.listOutgoingPayments, (get) => makeListOutgoingPayments(deps(get)))
  factory(t.getGrantSpentAmounts, (get) => makeGetGrantSpentAmounts(deps(get)))
  factory(t.cancelOutgoingPayment, (get) => makeCancelOutgoingPayment(deps(get)))
  factory(t.depositOutgoingPaymentLiquidity, (get) =>
    makeDepositOutgoingPaymentLiquidity(deps(get)),
  )
  factory(t.createOutgoingPaymentWithdrawal, (get) =>
    makeCreateOutgoingPaymentWithdrawal(deps(get)),
  )
  factory(t.outgoingPaymentWorker, (get) => {
    const config = get(base.config)
    const processNext = makeProcessNextOutgoingPayment({
      ...deps(get),
      methods: { LOCAL: get(paymentMethodTokens.local), ILP: get(ilpPaymentTokens.method) },
      attemptsMax: config.MAX_OUTGOING_PAYMENT_RETRY_ATTEMPTS,
      leaseMs: sendLeaseMs,
    })
    return makeWorkerLoop(
      { processNext, signal: get(base.workSignal), logger: get(base.logger) },
      {
        name: 'outgoing_payment',
        topic: outgoingPaymentWorkTopic,
        concurrency: config.OUTGOING_PAYMENT_WORKERS,
        idleMs: config.OUTGOING_PAYMENT_WORKER_IDLE,
      },
    )
  })
}
