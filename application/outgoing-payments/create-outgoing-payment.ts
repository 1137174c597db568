import type { OutgoingPayment } from '../../domain/outgoing-payments/outgoing-payment.ts'
import { isQuoteExpired } from '../../domain/quotes/quote.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { JsonObject } from '../../domain/webhooks/webhook-event.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { OutgoingPaymentUnitOfWork } from '../ports/outgoing-payment-unit-of-work.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'
import { stageOutgoingPaymentEvent } from './stage-outgoing-payment-event.ts'

export type CreateOutgoingPaymentInput = {
  readonly walletAddressId: string
  readonly quoteId: string
  readonly metadata?: JsonObject | null | undefined
  /** Open Payments: the client and the grant it pays under; absent from the admin API. */
  readonly client?: string | undefined
  readonly grantId?: string | undefined
}

// Rafiki's OutgoingPaymentError, as far as creation goes.
export type CreateOutgoingPaymentError =
  | 'unknown_wallet_address'
  | 'inactive_wallet_address'
  /** No such quote, or another wallet address's. */
  | 'unknown_quote'
  /** Expired, or already paid by another outgoing payment. */
  | 'invalid_quote'

export type CreateOutgoingPayment = (
  input: CreateOutgoingPaymentInput,
) => Promise<Result<OutgoingPayment, CreateOutgoingPaymentError>>

export type CreateOutgoingPaymentDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly quotes: QuoteRepository
  readonly ledger: Ledger
  readonly unitOfWork: OutgoingPaymentUnitOfWork
  readonly signal: WorkSignal
  readonly clock: Clock
  readonly ids: IdGenerator
}

/**
 * Rafiki's outgoing payment create: pays a quote of the wallet address, once, before it
 * expires. The payment (id = quote id) starts FUNDING with its OUTGOING account created, and
 * `outgoing_payment.created` is written in the same transaction: the ASE answers it with
 * depositOutgoingPaymentLiquidity.
 */
export const makeCreateOutgoingPayment = (
  deps: CreateOutgoingPaymentDeps,
): CreateOutgoingPayment => {
  const stage = makeStageWebhookEvent(deps)
  return async (input) => {
    const walletAddress = isUuid(input.walletAddressId)
      ? await deps.walletAddresses.getById(input.walletAddressId)
      : undefined
    if (!walletAddress) return err('unknown_wallet_address')
    if (walletAddress.status !== 'ACTIVE') return err('inactive_wallet_address')
    const quote = isUuid(input.quoteId) ? await deps.quotes.getById(input.quoteId) : undefined
    if (!quote || quote.walletAddressId !== walletAddress.id) return err('unknown_quote')
    const now = deps.clock.now()
    if (isQuoteExpired(quote, now)) return err('invalid_quote')
    const asset = await deps.assets.getById(walletAddress.assetId)
    assert(asset, `wallet address ${walletAddress.id}: asset ${walletAddress.assetId} missing`)
    // Idempotent: a second payment of this quote finds the account as it is, and then fails.
    const account = await deps.ledger.createAccounts([
      { id: quote.id, ledger: asset.ledger, kind: 'OUTGOING' },
    ])
    assert(account.ok, `outgoing payment ${quote.id}: account exists with other fields`)
    const createdAt = new Date(now)
    const created = await deps.unitOfWork.run(async (repositories) => {
      const payment = await repositories.outgoingPayments.create({
        id: quote.id,
        walletAddressId: walletAddress.id,
        receiver: quote.receiver,
        debitAmount: quote.debitAmount,
        receiveAmount: quote.receiveAmount,
        grantId: input.grantId ?? null,
        client: input.client ?? null,
        metadata: input.metadata ?? null,
        createdAt,
      })
      if (!payment.ok) return payment
      const type = 'outgoing_payment.created'
      await stageOutgoingPaymentEvent(
        stage,
        repositories.webhookEvents,
        type,
        payment.value,
        asset.id,
        0n,
      )
      return payment
    })
    if (!created.ok) return err('invalid_quote')
    wakeWebhookWorkers(deps.signal)
    return ok(created.value)
  }
}
