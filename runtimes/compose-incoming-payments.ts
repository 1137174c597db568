// Wiring of incoming payments: repository, unit of work, use cases and the expiry worker.
import type { Sql } from 'postgres'
import {
  makeApproveIncomingPayment,
  type ApproveIncomingPayment,
} from '../application/incoming-payments/approve-incoming-payment.ts'
import {
  makeCancelIncomingPayment,
  type CancelIncomingPayment,
} from '../application/incoming-payments/cancel-incoming-payment.ts'
import { makeCapExpiryOnDeactivation } from '../application/incoming-payments/cap-expiry-on-deactivation.ts'
import {
  makeCompleteIncomingPayment,
  type CompleteIncomingPayment,
} from '../application/incoming-payments/complete-incoming-payment.ts'
import {
  makeCreateIncomingPayment,
  type CreateIncomingPayment,
} from '../application/incoming-payments/create-incoming-payment.ts'
import {
  makeCreditIncomingPayment,
  type CreditIncomingPayment,
} from '../application/incoming-payments/credit-incoming-payment.ts'
import {
  makeGetIncomingPayment,
  type GetIncomingPayment,
} from '../application/incoming-payments/get-incoming-payment.ts'
import {
  makeListIncomingPayments,
  type ListIncomingPayments,
} from '../application/incoming-payments/list-incoming-payments.ts'
import {
  makeUpdateIncomingPayment,
  type UpdateIncomingPayment,
} from '../application/incoming-payments/update-incoming-payment.ts'
import {
  makeCreateIncomingPaymentWithdrawal,
  type CreateIncomingPaymentWithdrawal,
} from '../application/liquidity/create-incoming-payment-withdrawal.ts'
import { makeListPayments, type ListPayments } from '../application/payments/list-payments.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { IncomingPaymentRepository } from '../application/ports/incoming-payment-repository.ts'
import type { Ledger } from '../application/ports/ledger.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { UnitOfWork } from '../application/ports/unit-of-work.ts'
import type { WalletAddressRepository } from '../application/ports/wallet-address-repository.ts'
import type { WebhookEventRepository } from '../application/ports/webhook-event-repository.ts'
import type { WorkSignal } from '../application/ports/work-signal.ts'
import type { OnWalletAddressDeactivated } from '../application/wallet-addresses/update-wallet-address.ts'
import {
  incomingPaymentWorkTopic,
  makeProcessNextIncomingPayment,
} from '../application/workers/process-next-incoming-payment.ts'
import { makeWorkerLoop, type WorkerLoop } from '../application/workers/worker-loop.ts'
import { makePostgresIncomingPaymentRepository } from '../adapters/postgres/incoming-payment-repository.ts'
import { makePostgresPaymentRepository } from '../adapters/postgres/payment-repository.ts'
import { makePostgresUnitOfWork } from '../adapters/postgres/postgres-unit-of-work.ts'
import type { Config } from './config.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

// Payments expired in one worker step (one transaction).
const expiryBatchMax = 100

export const incomingPaymentTokens = {
  incomingPaymentRepository: token<IncomingPaymentRepository>('IncomingPaymentRepository'),
  unitOfWork: token<UnitOfWork>('UnitOfWork'),
  createIncomingPayment: token<CreateIncomingPayment>('CreateIncomingPayment'),
  getIncomingPayment: token<GetIncomingPayment>('GetIncomingPayment'),
  listIncomingPayments: token<ListIncomingPayments>('ListIncomingPayments'),
  updateIncomingPayment: token<UpdateIncomingPayment>('UpdateIncomingPayment'),
  approveIncomingPayment: token<ApproveIncomingPayment>('ApproveIncomingPayment'),
  cancelIncomingPayment: token<CancelIncomingPayment>('CancelIncomingPayment'),
  completeIncomingPayment: token<CompleteIncomingPayment>('CompleteIncomingPayment'),
  creditIncomingPayment: token<CreditIncomingPayment>('CreditIncomingPayment'),
  capExpiryOnDeactivation: token<OnWalletAddressDeactivated>('CapExpiryOnDeactivation'),
  incomingPaymentWorker: token<WorkerLoop>('IncomingPaymentWorker'),
  createIncomingPaymentWithdrawal: token<CreateIncomingPaymentWithdrawal>(
    'CreateIncomingPaymentWithdrawal',
  ),
  /** The admin `payments` list: incoming payments now, outgoing ones join the same view. */
  listPayments: token<ListPayments>('ListPayments'),
} as const

/** The tokens of the rest of the graph that incoming payments depend on. */
export type IncomingPaymentBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly sql: Token<Sql>
  readonly ledger: Token<Ledger>
  readonly workSignal: Token<WorkSignal>
  readonly assetRepository: Token<AssetRepository>
  readonly walletAddressRepository: Token<WalletAddressRepository>
  readonly webhookEvents: Token<WebhookEventRepository>
}

export function registerIncomingPayments(factory: Factory, base: IncomingPaymentBaseTokens): void {
  const t = incomingPaymentTokens
  factory(t.incomingPaymentRepository, (get) =>
    makePostgresIncomingPaymentRepository(get(base.sql)),
  )
  factory(t.unitOfWork, (get) => makePostgresUnitOfWork(get(base.sql)))
  const deps = (get: Get) => ({
    walletAddresses: get(base.walletAddressRepository),
    assets: get(base.assetRepository),
    ledger: get(base.ledger),
    incomingPayments: get(t.incomingPaymentRepository),
    unitOfWork: get(t.unitOfWork),
    signal: get(base.workSignal),
    clock: get(base.clock),
    ids: get(base.ids),
    expiryMaxMs: get(base.config).INCOMING_PAYMENT_EXPIRY_MAX_MS,
  })
  factory(t.createIncomingPayment, (get) => makeCreateIncomingPayment(deps(get)))
  factory(t.getIncomingPayment, (get) => makeGetIncomingPayment(deps(get)))
  factory(t.listIncomingPayments, (get) => makeListIncomingPayments(deps(get)))
  factory(t.updateIncomingPayment, (get) => makeUpdateIncomingPayment(deps(get)))
  factory(t.approveIncomingPayment, (get) => makeApproveIncomingPayment(deps(get)))
  factory(t.cancelIncomingPayment, (get) => makeCancelIncomingPayment(deps(get)))
  factory(t.completeIncomingPayment, (get) => makeCompleteIncomingPayment(deps(get)))
  factory(t.creditIncomingPayment, (get) => makeCreditIncomingPayment(deps(get)))
  factory(t.createIncomingPaymentWithdrawal, (get) =>
    makeCreateIncomingPaymentWithdrawal({ ...deps(get), webhookEvents: get(base.webhookEvents) }),
  )
  factory(t.listPayments, (get) =>
    makeListPayments({ payments: makePostgresPaymentRepository(get(base.sql)) }),
  )
  factory(t.capExpiryOnDeactivation, (get) =>
    makeCapExpiryOnDeactivation({
      ...deps(get),
      gracePeriodMs: get(base.config).WALLET_ADDRESS_DEACTIVATION_PAYMENT_GRACE_PERIOD_MS,
    }),
  )
  factory(t.incomingPaymentWorker, (get) => {
    const config = get(base.config)
    return makeWorkerLoop(
      {
        processNext: makeProcessNextIncomingPayment({ ...deps(get), expiryBatchMax }),
        signal: get(base.workSignal),
        logger: get(base.logger),
      },
      {
        name: 'incoming_payment',
        topic: incomingPaymentWorkTopic,
        concurrency: config.INCOMING_PAYMENT_WORKERS,
        idleMs: config.INCOMING_PAYMENT_WORKER_IDLE,
      },
    )
  })
}
