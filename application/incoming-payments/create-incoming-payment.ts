import {
  incomingPaymentData,
  resolveExpiresAt,
  validateIncomingAmount,
  type Amount,
  type IncomingPayment,
} from '../../domain/incoming-payments/incoming-payment.ts'
import { assert } from '../../domain/shared/assert.ts'
import { ok, type Result } from '../../domain/shared/result.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { UnitOfWork } from '../ports/unit-of-work.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'
import { activeWalletAddressById } from '../wallet-addresses/active-wallet-address-by-id.ts'

export type CreateIncomingPaymentInput = {
  readonly walletAddressId: string
  /** The Open Payments client creating it (its wallet address URL); absent from the admin API. */
  readonly client?: string | undefined
  readonly expiresAt?: Date | null | undefined
  readonly metadata?: JsonObject | null | undefined
  readonly incomingAmount?: Amount | null | undefined
}

export type CreateIncomingPaymentError =
  'unknown_wallet_address' | 'inactive_wallet_address' | 'invalid_expiry' | 'invalid_amount'

export type CreateIncomingPayment = (
  input: CreateIncomingPaymentInput,
) => Promise<Result<IncomingPayment, CreateIncomingPaymentError>>

export type CreateIncomingPaymentDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
  readonly unitOfWork: UnitOfWork
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
  /** INCOMING_PAYMENT_EXPIRY_MAX_MS: the default and the cap of expiresAt. */
  readonly expiryMaxMs: number
}

/**
 * Creates a PENDING payment with its INCOMING liquidity account (id = payment id) and stages
 * `incoming_payment.created` in the insert's transaction.
 */
export const makeCreateIncomingPayment = (
  deps: CreateIncomingPaymentDeps,
): CreateIncomingPayment => {
  const stage = makeStageWebhookEvent(deps)
  return async (input) => {
    const found = await activeWalletAddressById(deps.walletAddresses, input.walletAddressId)
    if (!found.ok) return found
    const walletAddress = found.value
    const asset = await deps.assets.getById(walletAddress.assetId)
    assert(asset, `wallet address ${walletAddress.id}: asset ${walletAddress.assetId} missing`)
    const incomingAmount = validateIncomingAmount(input.incomingAmount, asset)
    if (!incomingAmount.ok) return incomingAmount
    const nowMs = deps.clock.now()
    const expiresAt = resolveExpiresAt(input.expiresAt, nowMs, deps.expiryMaxMs)
    if (!expiresAt.ok) return expiresAt
    const id = deps.ids.uuid()
    // Before the insert: an account without a payment is harmless, the reverse is not.
    const account = await deps.ledger.createAccounts([
      { id, ledger: asset.ledger, kind: 'INCOMING' },
    ])
    assert(account.ok, `incoming payment ${id}: liquidity account refused`)
    const payment = await deps.unitOfWork.run(async ({ incomingPayments, webhookEvents }) => {
      const created = await incomingPayments.create({
        id,
        walletAddressId: walletAddress.id,
        client: input.client ?? null,
        incomingAmount: incomingAmount.value,
        assetCode: asset.code,
        assetScale: asset.scale,
        expiresAt: expiresAt.value,
        metadata: input.metadata ?? null,
        createdAt: new Date(nowMs),
      })
      await stage(webhookEvents, {
        type: 'incoming_payment.created',
        data: incomingPaymentData(created),
      })
      return created
    })
    wakeWebhookWorkers(deps.signal)
    return ok(payment)
  }
}
