import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { availableLiquidity } from '../../domain/ledger/account.ts'
import {
  paymentTransferId,
  transferPurposes,
} from '../../domain/outgoing-payments/outgoing-payment.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { LiquidityError } from '../liquidity/liquidity-errors.ts'
import { runLiquidityTransfer } from '../liquidity/run-liquidity-transfer.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { Logger } from '../ports/logger.ts'
import type {
  OutgoingPaymentRepository,
  UnknownOrWrongState,
} from '../ports/outgoing-payment-repository.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { outgoingPaymentWorkTopic } from './work-topic.ts'

export type DepositOutgoingPaymentLiquidityError = LiquidityError | UnknownOrWrongState

export type DepositOutgoingPaymentLiquidity = (input: {
  readonly outgoingPaymentId: string
}) => Promise<Result<void, DepositOutgoingPaymentLiquidityError>>

export type DepositOutgoingPaymentLiquidityDeps = {
  readonly outgoingPayments: Pick<OutgoingPaymentRepository, 'getById' | 'markSending'>
  readonly walletAddresses: Pick<WalletAddressRepository, 'getById'>
  readonly assets: Pick<AssetRepository, 'getById'>
  readonly ledger: Ledger
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly logger: Logger
}

/**
 * Rafiki's depositOutgoingPaymentLiquidity: the ASE funds a FUNDING payment with its debit
 * amount, from the asset's settlement account into the OUTGOING account, and the payment starts
 * SENDING. The transfer id is derived from the payment's, so a retry after a crash between the
 * two steps moves nothing again and only finishes the state change. A payment cancelled while the
 * deposit was being made gets it back to settlement (nothing sends from a cancelled payment, and
 * no withdrawal takes from one): the ASE is told wrong_state, and its money is where it was; a
 * retry on a cancelled payment gives back a deposit an interrupted call left in it.
 */
export const makeDepositOutgoingPaymentLiquidity =
  (deps: DepositOutgoingPaymentLiquidityDeps): DepositOutgoingPaymentLiquidity =>
  async (input) => {
    const id = input.outgoingPaymentId
    const payment = isUuid(id) ? await deps.outgoingPayments.getById(id) : undefined
    if (!payment) return err('unknown_outgoing_payment')
    if (payment.state !== 'FUNDING' && payment.state !== 'CANCELLED') return err('wrong_state')
    const walletAddress = await deps.walletAddresses.getById(payment.walletAddressId)
    assert(walletAddress, `outgoing payment ${payment.id}: wallet address missing`)
    const asset = await deps.assets.getById(walletAddress.assetId)
    assert(asset, `wallet address ${walletAddress.id}: asset missing`)
    const deposit = {
      type: 'single',
      id: paymentTransferId(payment.id, transferPurposes.deposit),
      debitAccountId: settlementAccountId(asset.id),
      creditAccountId: payment.id,
      amount: payment.debitAmount.value,
      ledger: asset.ledger,
    } as const
    if (payment.state === 'CANCELLED') {
      // A retry: an earlier call may have made the deposit and stopped (a crash) before giving
      // it back.
      if (await holds(deps.ledger, deposit)) await giveBack(deps, deposit)
      return err('wrong_state')
    }
    const moved = await runLiquidityTransfer(deps.ledger, deposit)
    if (!moved.ok) return moved
    const sending = await deps.outgoingPayments.markSending(payment.id, new Date(deps.clock.now()))
    if (!sending.ok) {
      // Another deposit of the same payment (same transfer id, applied once) has made it SENDING,
      // or a cancel came between the check and the deposit.
      const now = await deps.outgoingPayments.getById(payment.id)
      if (now?.state === 'CANCELLED') await giveBack(deps, deposit)
      return sending
    }
    deps.signal.notify(outgoingPaymentWorkTopic)
    return ok(undefined)
  }

type Deposit = {
  readonly debitAccountId: string
  readonly creditAccountId: string
  readonly amount: bigint
  readonly ledger: number
}

/** Whether the cancelled payment's OUTGOING account still holds the deposit (nothing else goes in). */
async function holds(ledger: Ledger, deposit: Deposit): Promise<boolean> {
  const balance = (await ledger.getBalances([deposit.creditAccountId])).get(deposit.creditAccountId)
  return balance !== undefined && availableLiquidity(balance) >= deposit.amount
}

/** The deposit back from a cancelled payment's OUTGOING account; a retry moves nothing again. */
async function giveBack(
  deps: DepositOutgoingPaymentLiquidityDeps,
  deposit: Deposit,
): Promise<void> {
  const paymentId = deposit.creditAccountId
  const back = await runLiquidityTransfer(deps.ledger, {
    type: 'single',
    id: paymentTransferId(paymentId, transferPurposes.depositReturn),
    debitAccountId: paymentId,
    creditAccountId: deposit.debitAccountId,
    amount: deposit.amount,
    ledger: deposit.ledger,
  })
  if (back.ok) {
    deps.logger.warn(
      { outgoingPaymentId: paymentId },
      'deposit into a cancelled payment: given back',
    )
  } else {
    deps.logger.error(
      { outgoingPaymentId: paymentId, error: back.error },
      'deposit into a cancelled payment: could not give it back',
    )
  }
}
