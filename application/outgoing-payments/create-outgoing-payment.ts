import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import type { AccessLimits } from '../../domain/open-payments/access.ts'
import {
  checkPaymentAgainstLimits,
  hasAmountLimits,
  spentAgainstLimits,
  withinLimits,
  type GrantSpent,
  type LimitedPayment,
  type SpendingWindow,
} from '../../domain/outgoing-payments/grant-limits.ts'
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
import type {
  OutgoingPaymentTransaction,
  OutgoingPaymentUnitOfWork,
} from '../ports/outgoing-payment-unit-of-work.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'
import { makeStageWebhookEvent, wakeWebhookWorkers } from '../webhooks/emit-webhook-event.ts'
import { stageOutgoingPaymentEvent } from './stage-outgoing-payment-event.ts'
import { activeWalletAddressById } from '../wallet-addresses/active-wallet-address-by-id.ts'

export type CreateOutgoingPaymentInput = {
  readonly walletAddressId: string
  readonly quoteId: string
  readonly metadata?: JsonObject | null | undefined
  /** Open Payments: the client and the grant it pays under; absent from the admin API. */
  readonly client?: string | undefined
  readonly grantId?: string | undefined
  /**
   * The limits of the grant's outgoing-payment access (Open Payments). With amount limits, the
   * grant's spending and this payment are checked and inserted under a lock of the grant.
   */
  readonly limits?: AccessLimits | undefined
}

/** A created payment; under a grant with amount limits, what the grant spent before it. */
export type CreatedOutgoingPayment = OutgoingPayment & {
  readonly grantSpentDebitAmount?: Amount
  readonly grantSpentReceiveAmount?: Amount
}

// Rafiki's OutgoingPaymentError, as far as creation goes.
export type CreateOutgoingPaymentError =
  | 'unknown_wallet_address'
  | 'inactive_wallet_address'
  /** No such quote, or another wallet address's. */
  | 'unknown_quote'
  /** Expired, or already paid by another outgoing payment. */
  | 'invalid_quote'
  /** Outside the grant's limits: receiver, assets, interval, or amounts (Rafiki's 403). */
  | 'insufficient_grant'

export type CreateOutgoingPayment = (
  input: CreateOutgoingPaymentInput,
) => Promise<Result<CreatedOutgoingPayment, CreateOutgoingPaymentError>>

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
    const found = await activeWalletAddressById(deps.walletAddresses, input.walletAddressId)
    if (!found.ok) return found
    const walletAddress = found.value
    const quote = isUuid(input.quoteId) ? await deps.quotes.getById(input.quoteId) : undefined
    if (!quote || quote.walletAddressId !== walletAddress.id) return err('unknown_quote')
    const now = deps.clock.now()
    if (isQuoteExpired(quote, now)) return err('invalid_quote')
    const createdAt = new Date(now)
    // Refusals that need no history come before anything is written.
    const limited = limitsToCheck(input, quote, createdAt)
    if (limited && !limited.window.ok) return err('insufficient_grant')
    const asset = await deps.assets.getById(walletAddress.assetId)
    assert(asset, `wallet address ${walletAddress.id}: asset ${walletAddress.assetId} missing`)
    // Idempotent: a second payment of this quote finds the account as it is, and then fails.
    const account = await deps.ledger.createAccounts([
      { id: quote.id, ledger: asset.ledger, kind: 'OUTGOING' },
    ])
    assert(account.ok, `outgoing payment ${quote.id}: account exists with other fields`)
    const created = await deps.unitOfWork.run(async (repositories) => {
      const spent = limited && (await spentUnderLockedGrant(repositories, limited))
      if (limited && spent && !withinLimits(limited.limits, spent, quote)) {
        return err('insufficient_grant' as const)
      }
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
      return spent ? ok({ ...payment.value, ...spentAmounts(spent, quote) }) : payment
    })
    if (!created.ok) {
      return err(created.error === 'insufficient_grant' ? created.error : 'invalid_quote')
    }
    wakeWebhookWorkers(deps.signal)
    return ok(created.value)
  }
}

type LimitsToCheck = {
  readonly grantId: string
  readonly limits: AccessLimits
  readonly window: Result<SpendingWindow, 'insufficient_grant'>
}

function limitsToCheck(
  input: CreateOutgoingPaymentInput,
  payment: LimitedPayment,
  at: Date,
): LimitsToCheck | undefined {
  const { grantId, limits } = input
  if (grantId === undefined || limits === undefined) return undefined
  return { grantId, limits, window: checkPaymentAgainstLimits(limits, payment, at) }
}

/**
 * What the grant spent in the window, read after locking the grant: concurrent payments under
 * it wait here until this transaction has inserted its payment (or given up). Without amount
 * limits there is nothing to count and nothing to lock.
 */
async function spentUnderLockedGrant(
  repositories: OutgoingPaymentTransaction,
  { grantId, limits, window }: LimitsToCheck,
): Promise<GrantSpent | undefined> {
  assert(window.ok, 'limits refused before the transaction')
  if (!hasAmountLimits(limits)) return undefined
  await repositories.outgoingPayments.lockGrant(grantId)
  const sums = await repositories.outgoingPayments.spentUnderGrant(grantId, window.value.period)
  return spentAgainstLimits(limits, sums)
}

// Rafiki's grantSpentDebitAmount / grantSpentReceiveAmount: spent before this payment.
const spentAmounts = (spent: GrantSpent, payment: LimitedPayment) => ({
  grantSpentDebitAmount: { ...payment.debitAmount, value: spent.debit },
  grantSpentReceiveAmount: { ...payment.receiveAmount, value: spent.receive },
})
