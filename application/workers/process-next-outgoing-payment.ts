import { availableLiquidity } from '../../domain/ledger/account.ts'
import {
  decideOnFailure,
  planSending,
  type OutgoingPayment,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import { isQuoteExpired, type Quote } from '../../domain/quotes/quote.ts'
import { isPayable, remainingToReceive } from '../../domain/receivers/receiver.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { LocalAccount } from '../connector/accounts.ts'
import { stageOutgoingPaymentEvent } from '../outgoing-payments/stage-outgoing-payment-event.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { Logger } from '../ports/logger.ts'
import type { OutgoingPaymentRepository } from '../ports/outgoing-payment-repository.ts'
import type { OutgoingPaymentUnitOfWork } from '../ports/outgoing-payment-unit-of-work.ts'
import type { PaymentMethod } from '../ports/payment-methods.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'
import type { Receivers } from '../ports/receivers.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'

export type ProcessNextOutgoingPaymentDeps = {
  readonly outgoingPayments: OutgoingPaymentRepository
  readonly unitOfWork: OutgoingPaymentUnitOfWork
  readonly quotes: QuoteRepository
  readonly receivers: Receivers
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
  readonly methods: { readonly LOCAL: PaymentMethod; readonly ILP: PaymentMethod }
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly logger: Logger
  /** MAX_OUTGOING_PAYMENT_RETRY_ATTEMPTS. */
  readonly attemptsMax: number
  /** How long a claimed payment is a worker's: well over one attempt. */
  readonly leaseMs: number
}

/** What an attempt came to: the worker records it after the I/O, in one transaction. */
export type AttemptOutcome =
  | { readonly kind: 'complete' }
  | { readonly kind: 'fail'; readonly error: string }
  | { readonly kind: 'failure'; readonly error: string; readonly retryable: boolean }

/**
 * One worker step (for makeWorkerLoop): claims a due SENDING payment under a lease, makes one
 * attempt outside any transaction and records its outcome. What was sent is read from the
 * OUTGOING account's debits (the ledger is the truth), so a crash or a second replica never
 * sends more than the debit amount. True when it processed a payment.
 */
export const makeProcessNextOutgoingPayment = (
  deps: ProcessNextOutgoingPaymentDeps,
): (() => Promise<boolean>) => {
  assert(Number.isSafeInteger(deps.attemptsMax) && deps.attemptsMax >= 1, 'attemptsMax >= 1')
  const stage = makeStageWebhookEvent(deps)
  const attempt = makeAttempt(deps)

  const record = async (payment: OutgoingPayment, outcome: AttemptOutcome): Promise<void> => {
    const at = new Date(deps.clock.now())
    // One read of the OUTGOING account: what was sent, and what is left for the ASE.
    const account = (await deps.ledger.getBalances([payment.id])).get(payment.id)
    const sent = account ? account.debitsPosted + account.debitsPending : 0n
    if (outcome.kind === 'failure') {
      const decision = decideOnFailure(payment.stateAttempts, outcome, deps.attemptsMax)
      deps.logger.warn(
        { outgoingPaymentId: payment.id, error: outcome.error, decision: decision.kind },
        'outgoing payment attempt failed',
      )
      if (decision.kind === 'retry') {
        const due = new Date(at.getTime() + decision.delayMs)
        await deps.outgoingPayments.scheduleRetry(payment.id, decision.stateAttempts, due, sent, at)
        return
      }
    }
    const state = outcome.kind === 'complete' ? 'COMPLETED' : 'FAILED'
    const error = outcome.kind === 'complete' ? null : outcome.error
    const balance = account ? availableLiquidity(account) : 0n
    const assetId = await assetIdOf(deps, payment)
    const finished = await deps.unitOfWork.run(async (repositories) => {
      const done = await repositories.outgoingPayments.finish(
        payment.id,
        { state, error },
        sent,
        at,
      )
      if (!done.ok) return false
      const type = state === 'COMPLETED' ? 'outgoing_payment.completed' : 'outgoing_payment.failed'
      await stageOutgoingPaymentEvent(
        stage,
        repositories.webhookEvents,
        type,
        done.value,
        assetId,
        balance,
      )
      return true
    })
    if (finished) wakeWebhookWorkers(deps.signal)
  }

  return async () => {
    const payment = await deps.outgoingPayments.claimNext(new Date(deps.clock.now()), deps.leaseMs)
    if (!payment) return false
    // A short lease, renewed while this worker sends: a crashed worker's payment is taken again
    // soon, and a slow one's never. (Two workers at once could still never send more than the
    // debit: the OUTGOING account holds no more, and the ledger never overdraws it.)
    const renewal = setInterval(() => {
      const until = new Date(deps.clock.now() + deps.leaseMs)
      deps.outgoingPayments.renewLease(payment.id, until).catch((error: unknown) => {
        deps.logger.error({ outgoingPaymentId: payment.id, err: error }, 'lease renewal failed')
      })
    }, deps.leaseMs / 3)
    let outcome: AttemptOutcome
    try {
      outcome = await attempt(payment)
    } catch (error) {
      // Rafiki retries unexpected errors.
      deps.logger.error({ outgoingPaymentId: payment.id, err: error }, 'outgoing payment error')
      outcome = { kind: 'failure', error: 'internal', retryable: true }
    } finally {
      clearInterval(renewal)
    }
    await record(payment, outcome)
    return true
  }
}

/** Posted and held debits of the OUTGOING account: while SENDING, only sending debits it. */
async function sentFromLedger(ledger: Ledger, paymentId: string): Promise<bigint> {
  const balance = (await ledger.getBalances([paymentId])).get(paymentId)
  return balance ? balance.debitsPosted + balance.debitsPending : 0n
}

async function assetIdOf(
  deps: Pick<ProcessNextOutgoingPaymentDeps, 'walletAddresses'>,
  payment: OutgoingPayment,
): Promise<string> {
  const walletAddress = await deps.walletAddresses.getById(payment.walletAddressId)
  assert(walletAddress, `outgoing payment ${payment.id}: wallet address missing`)
  return walletAddress.assetId
}

/** Rafiki's handleSending, up to the payment method's answer. */
function makeAttempt(deps: ProcessNextOutgoingPaymentDeps) {
  const sourceOf = async (payment: OutgoingPayment): Promise<LocalAccount> => {
    const asset = await deps.assets.getById(await assetIdOf(deps, payment))
    assert(asset, `outgoing payment ${payment.id}: asset missing`)
    const identity = { id: asset.id, code: asset.code, scale: asset.scale, ledger: asset.ledger }
    return { kind: 'local', id: payment.id, asset: identity }
  }
  return async (payment: OutgoingPayment): Promise<AttemptOutcome> => {
    const quote: Quote | undefined = await deps.quotes.getById(payment.quoteId)
    assert(quote, `outgoing payment ${payment.id}: quote missing`)
    if (isQuoteExpired(quote, deps.clock.now())) return { kind: 'fail', error: 'QuoteExpired' }
    const receiver = await deps.receivers.get(payment.receiver)
    if (!receiver.ok) {
      // Rafiki completes a payment whose receiver is gone; an unreachable one is tried again.
      return receiver.error === 'receiver_unreachable'
        ? { kind: 'failure', error: 'receiver_unreachable', retryable: true }
        : { kind: 'complete' }
    }
    const sent = await sentFromLedger(deps.ledger, payment.id)
    const payable = isPayable(receiver.value, deps.clock.now())
    // Completed or expired since the quote: already paid by a retry, or by someone else. A LOCAL
    // batch already applied still goes to the method, which credits the receiver or gives back.
    if (!payable && !(quote.method === 'LOCAL' && sent > 0n)) return { kind: 'complete' }
    if (
      receiver.value.assetCode !== payment.receiveAmount.assetCode ||
      receiver.value.assetScale !== payment.receiveAmount.assetScale
    ) {
      return { kind: 'fail', error: 'DestinationAssetConflict' }
    }
    const source = await sourceOf(payment)
    const base = { paymentId: payment.id, source, receiver: receiver.value, quote }
    let paid
    if (quote.method === 'LOCAL') {
      // One deterministic batch of the quote's amounts: the ledger applies it once, so a retry
      // offers the same one again and the method finishes whatever the last attempt left.
      paid = await deps.methods.LOCAL.pay({
        ...base,
        maxDebit: payment.debitAmount.value,
        receiveAmount: quote.receiveAmount,
      })
    } else {
      const plan = planSending({
        debitAmount: payment.debitAmount.value,
        receiveAmount: payment.receiveAmount.value,
        estimatedExchangeRate: quote.estimatedExchangeRate,
        sent,
        receiverRemaining: remainingToReceive(receiver.value),
      })
      if (plan.kind === 'complete') return { kind: 'complete' }
      if (plan.kind === 'bad_state') return { kind: 'fail', error: 'BadState' }
      paid = await deps.methods.ILP.pay({
        ...base,
        maxDebit: plan.maxDebit,
        receiveAmount: { ...payment.receiveAmount, value: plan.maxReceive },
      })
    }
    if (paid.ok) return { kind: 'complete' }
    return { kind: 'failure', error: paid.error.error, retryable: paid.error.retryable }
  }
}
