import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
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
  readonly outgoingPayments: OutgoingPaymentRepository
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly logger: Logger
}

/**
 * Rafiki's depositOutgoingPaymentLiquidity: the ASE funds a FUNDING payment with its debit
 * amount, from the asset's settlement account into the OUTGOING account, and the payment starts
 * SENDING. The transfer id is derived from the payment's, so a retry after a crash between the
 * two steps moves nothing again and only finishes the state change.
 */
export const makeDepositOutgoingPaymentLiquidity =
  (deps: DepositOutgoingPaymentLiquidityDeps): DepositOutgoingPaymentLiquidity =>
  async (input) => {
    const id = input.outgoingPaymentId
    const payment = isUuid(id) ? await deps.outgoingPayments.getById(id) : undefined
    if (!payment) return err('unknown_outgoing_payment')
    if (payment.state !== 'FUNDING') return err('wrong_state')
    const walletAddress = await deps.walletAddresses.getById(payment.walletAddressId)
    assert(walletAddress, `outgoing payment ${payment.id}: wallet address missing`)
    const asset = await deps.assets.getById(walletAddress.assetId)
    assert(asset, `wallet address ${walletAddress.id}: asset missing`)
    const moved = await runLiquidityTransfer(deps.ledger, {
      type: 'single',
      id: paymentTransferId(payment.id, transferPurposes.deposit),
      debitAccountId: settlementAccountId(asset.id),
      creditAccountId: payment.id,
      amount: payment.debitAmount.value,
      ledger: asset.ledger,
    })
    if (!moved.ok) return moved
    const sending = await deps.outgoingPayments.markSending(payment.id, new Date(deps.clock.now()))
    if (!sending.ok) {
      // Cancelled between the check and the deposit: the money stays in its OUTGOING account.
      deps.logger.warn({ outgoingPaymentId: payment.id }, 'deposit into a cancelled payment')
      return sending
    }
    deps.signal.notify(outgoingPaymentWorkTopic)
    return ok(undefined)
  }
