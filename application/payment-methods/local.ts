// The LOCAL payment method: the receiver is an incoming payment of this node, so the payment is
// one linked ledger batch, then the incoming payment's credit. Both steps are idempotent per
// payment, so a crash between them, or a retry, never pays twice.
import type { Asset } from '../../domain/assets/asset.ts'
import {
  paymentTransferId,
  transferPurposes,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { stageSettledPaymentEvent } from '../incoming-payments/stage-settled-payment-event.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { IncomingPaymentRepository } from '../ports/incoming-payment-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { Logger } from '../ports/logger.ts'
import type { OutgoingPaymentUnitOfWork } from '../ports/outgoing-payment-unit-of-work.ts'
import type { PayFailure, PayInput, PaymentMethod } from '../ports/payment-methods.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'

export type LocalPaymentMethodDeps = {
  readonly ledger: Ledger
  readonly unitOfWork: OutgoingPaymentUnitOfWork
  readonly incomingPayments: IncomingPaymentRepository
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly logger: Logger
}

const failure = (error: PayFailure['error'], retryable = false): PayFailure => ({
  error,
  retryable,
  debited: 0n,
  delivered: 0n,
})

type Legs = readonly (TransferRequest & { readonly type: 'single' })[]

/** Thrown inside the unit of work to roll the marker back when the credit is refused. */
class CreditRefused extends Error {
  override readonly name = 'CreditRefused'
}

/**
 * Rafiki's local payment: debits the quote's debit less fees from the OUTGOING account and
 * credits the receive amount to the incoming payment's INCOMING account, through the two
 * assets' liquidity accounts when they differ. Transfer ids derive from the payment's id: the
 * batch applies once however often an attempt runs (a LOCAL payment is one all-or-nothing
 * batch, so the attempt number adds nothing and would let a retry after a non-crash error move
 * the money a second time). The incoming payment is credited in the transaction that sets the
 * payment's local_credited flag, so that happens once too.
 */
export function makeLocalPaymentMethod(deps: LocalPaymentMethodDeps): PaymentMethod {
  const stage = makeStageWebhookEvent(deps)
  const receiverAsset = async (incomingPaymentId: string): Promise<Asset | undefined> => {
    const incoming = await deps.incomingPayments.getById(incomingPaymentId)
    const walletAddress = incoming && (await deps.walletAddresses.getById(incoming.walletAddressId))
    return walletAddress && (await deps.assets.getById(walletAddress.assetId))
  }
  return {
    async pay(input) {
      const incomingId = input.receiver.localIncomingPaymentId
      if (incomingId === null) return err(failure('receiver_unreachable'))
      const debit = input.quote.debitAmountMinusFees
      const receive = input.receiveAmount.value
      if (debit <= 0n || debit > input.maxDebit || receive <= 0n) return err(failure('internal'))
      const target = await receiverAsset(incomingId)
      if (!target) return err(failure('receiver_unreachable'))
      const legs = localLegs(input, target, debit, receive)
      const moved = await deps.ledger.transfer(legs)
      if (!moved.ok) {
        deps.logger.warn(
          { paymentId: input.paymentId, error: moved.error },
          'local payment refused',
        )
        const short = moved.error.error === 'insufficient_balance'
        return err(failure(short ? 'insufficient_liquidity' : 'internal'))
      }
      const credited = await credit(input.paymentId, incomingId, receive)
      if (credited.ok) return ok({ debited: debit, delivered: receive })
      await giveBack(input.paymentId, legs)
      return err(failure('receiver_completed_or_expired'))
    },
  }

  async function credit(
    paymentId: string,
    incomingId: string,
    amount: bigint,
  ): Promise<Result<void, 'refused'>> {
    const at = new Date(deps.clock.now())
    try {
      const completed = await deps.unitOfWork.run(async (repositories) => {
        if (!(await repositories.outgoingPayments.markLocalCredited(paymentId))) return false
        const added = await repositories.incomingPayments.addReceived(incomingId, amount, at)
        if (!added.ok) throw new CreditRefused(added.error)
        if (!added.value.completedNow) return false
        const type = 'incoming_payment.completed'
        return stageSettledPaymentEvent(stage, repositories, type, added.value.payment)
      })
      if (completed) wakeWebhookWorkers(deps.signal)
      return ok(undefined)
    } catch (error) {
      if (error instanceof CreditRefused) return err('refused')
      throw error
    }
  }

  async function giveBack(paymentId: string, legs: Legs): Promise<void> {
    const purposes = [transferPurposes.localDebitReturn, transferPurposes.localCreditReturn]
    const back = legs
      .map((leg, index) => {
        const purpose = purposes[index]
        assert(purpose !== undefined, 'local payment: at most two legs')
        return {
          ...leg,
          id: paymentTransferId(paymentId, purpose),
          debitAccountId: leg.creditAccountId,
          creditAccountId: leg.debitAccountId,
        }
      })
      .reverse()
    const result = await deps.ledger.transfer(back)
    if (!result.ok) {
      deps.logger.error({ paymentId, error: result.error }, 'could not give back a local payment')
    }
  }
}

/** Same asset: one leg (and the rounding left over to the asset); otherwise through liquidity. */
function localLegs(input: PayInput, target: Asset, debit: bigint, receive: bigint): Legs {
  const source = input.source
  const leg = (purpose: number, from: string, to: string, amount: bigint, ledger: number) => ({
    type: 'single' as const,
    id: paymentTransferId(input.paymentId, purpose),
    debitAccountId: from,
    creditAccountId: to,
    amount,
    ledger,
  })
  const incomingId = input.receiver.localIncomingPaymentId
  assert(incomingId !== null, 'local payment: a local receiver')
  if (source.asset.id === target.id) {
    const rest = debit - receive
    assert(rest >= 0n, 'local payment: same asset delivers at most what it debits')
    return [
      leg(transferPurposes.localDebit, source.id, incomingId, receive, target.ledger),
      ...(rest > 0n
        ? [leg(transferPurposes.localCredit, source.id, source.asset.id, rest, target.ledger)]
        : []),
    ]
  }
  return [
    leg(transferPurposes.localDebit, source.id, source.asset.id, debit, source.asset.ledger),
    leg(transferPurposes.localCredit, target.id, incomingId, receive, target.ledger),
  ]
}
