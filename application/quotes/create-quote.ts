import type { Asset } from '../../domain/assets/asset.ts'
import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import {
  quoteAmounts,
  type QuoteAmountsError,
  type QuoteTarget,
} from '../../domain/quotes/quote-amounts.ts'
import { quoteExpiresAt, type Quote } from '../../domain/quotes/quote.ts'
import { unitRate, type ExchangeRate } from '../../domain/rates/exchange-rate.ts'
import { rateTo } from '../../domain/rates/rates-table.ts'
import { isPayable, remainingToReceive, type Receiver } from '../../domain/receivers/receiver.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Err, type Ok, type Result } from '../../domain/shared/result.ts'
import { isUInt64 } from '../../domain/shared/uint64.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { FeeRepository } from '../ports/fee-repository.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'
import type { Rates } from '../ports/rates.ts'
import type { Receivers } from '../ports/receivers.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'

export type CreateQuoteInput = {
  readonly walletAddressId: string
  /** The incoming payment URL to pay. */
  readonly receiver: string
  /** Fixed-send, in the wallet address's asset. At most one of the two amounts. */
  readonly debitAmount?: Amount | null | undefined
  /** Fixed-receive, in the receiver's asset. Neither: the receiver's remaining incomingAmount. */
  readonly receiveAmount?: Amount | null | undefined
  /** The Open Payments client creating it (its wallet address URL); absent from the admin API. */
  readonly client?: string | undefined
}

// Rafiki's QuoteErrorCode, plus what this node cannot do yet.
export type CreateQuoteError =
  | 'unknown_wallet_address'
  | 'inactive_wallet_address'
  | 'invalid_amount'
  /** Unknown, unreachable, completed or expired receiver. */
  | 'invalid_receiver'
  | 'non_positive_receive_amount'
  /** No rate between the two assets now (Rafiki's CouldNotFetchRates). */
  | 'rates_unavailable'
  /** A receiver on another node: the ILP probe that quotes it is not built yet. */
  | 'ilp_quoting_unavailable'

/** non_positive_receive_amount carries the least debit that delivers something, when known. */
export type CreateQuoteFailure = Err<CreateQuoteError> & { readonly minSendAmount?: Amount }

export type CreateQuoteResult = Ok<Quote> | CreateQuoteFailure

export type CreateQuote = (input: CreateQuoteInput) => Promise<CreateQuoteResult>

export type CreateQuoteDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly fees: FeeRepository
  readonly receivers: Receivers
  readonly rates: Rates
  readonly quotes: QuoteRepository
  readonly clock: Clock
  readonly ids: IdGenerator
  /** QUOTE_LIFESPAN: a quote expires this long after creation, or with its receiver. */
  readonly lifespanMs: number
}

const isPositive = (amount: Amount): boolean => amount.value > 0n && isUInt64(amount.value)

const sameAsset = (amount: Amount, code: string, scale: number): boolean =>
  amount.assetCode === code && amount.assetScale === scale

/**
 * Rafiki's quote service with its LOCAL payment method: the receiver is on this node, so the
 * rate is the rates service's, with no slippage, and the SENDING fee of the debit asset is added.
 */
export const makeCreateQuote = (deps: CreateQuoteDeps): CreateQuote => {
  const activeSender = async (
    input: CreateQuoteInput,
  ): Promise<Result<{ walletAddressId: string; asset: Asset }, CreateQuoteError>> => {
    const walletAddress = isUuid(input.walletAddressId)
      ? await deps.walletAddresses.getById(input.walletAddressId)
      : undefined
    if (!walletAddress) return err('unknown_wallet_address')
    if (walletAddress.status !== 'ACTIVE') return err('inactive_wallet_address')
    const asset = await deps.assets.getById(walletAddress.assetId)
    assert(asset, `wallet address ${walletAddress.id}: asset ${walletAddress.assetId} missing`)
    return ok({ walletAddressId: walletAddress.id, asset })
  }

  const payableReceiver = async (url: string): Promise<Result<Receiver, CreateQuoteError>> => {
    const receiver = await deps.receivers.get(url)
    if (!receiver.ok || !isPayable(receiver.value, deps.clock.now())) {
      return err('invalid_receiver')
    }
    return ok(receiver.value)
  }

  const rateBetween = async (
    sourceCode: string,
    destinationCode: string,
  ): Promise<Result<ExchangeRate, CreateQuoteError>> => {
    if (sourceCode === destinationCode) return ok(unitRate)
    const table = await deps.rates.getRates(sourceCode)
    if (!table.ok) return err('rates_unavailable')
    const rate = rateTo(table.value, destinationCode)
    return rate.ok ? rate : err('rates_unavailable')
  }

  return async (input) => {
    const { debitAmount, receiveAmount } = input
    if (debitAmount && receiveAmount) return err('invalid_amount')
    const sender = await activeSender(input)
    if (!sender.ok) return sender
    const { asset } = sender.value
    if (
      debitAmount &&
      !(isPositive(debitAmount) && sameAsset(debitAmount, asset.code, asset.scale))
    ) {
      return err('invalid_amount')
    }
    if (receiveAmount && !isPositive(receiveAmount)) return err('invalid_amount')
    const receiver = await payableReceiver(input.receiver)
    if (!receiver.ok) return receiver
    const target = quoteTarget(input, receiver.value)
    if (!target.ok) return target
    if (receiver.value.localIncomingPaymentId === null) return err('ilp_quoting_unavailable')
    const rate = await rateBetween(asset.code, receiver.value.assetCode)
    if (!rate.ok) return rate
    const fee = await deps.fees.latest(asset.id, 'SENDING')
    const receiveAsset = { code: receiver.value.assetCode, scale: receiver.value.assetScale }
    const amounts = quoteAmounts({
      debitAsset: asset,
      receiveAsset,
      rate: rate.value,
      fee,
      target: target.value,
    })
    if (!amounts.ok) return amountsFailure(amounts.error, asset)
    const nowMs = deps.clock.now()
    const quote = await deps.quotes.create({
      id: deps.ids.uuid(),
      walletAddressId: sender.value.walletAddressId,
      receiver: input.receiver,
      client: input.client ?? null,
      method: 'LOCAL',
      debitAmount: {
        value: amounts.value.debitAmount,
        assetCode: asset.code,
        assetScale: asset.scale,
      },
      debitAmountMinusFees: amounts.value.debitAmountMinusFees,
      receiveAmount: {
        value: amounts.value.receiveAmount,
        assetCode: receiveAsset.code,
        assetScale: receiveAsset.scale,
      },
      estimatedExchangeRate: amounts.value.estimatedExchangeRate,
      feeId: fee?.id ?? null,
      ilp: null,
      expiresAt: quoteExpiresAt(nowMs, deps.lifespanMs, receiver.value.expiresAt),
      createdAt: new Date(nowMs),
    })
    return ok(quote)
  }
}

/** The quote's error; minSendAmount in the debit asset when the math found one. */
function amountsFailure(error: QuoteAmountsError, asset: Asset): CreateQuoteFailure {
  if (error.type === 'invalid_amount' || error.minSendAmount === undefined) return err(error.type)
  const minSendAmount = {
    value: error.minSendAmount,
    assetCode: asset.code,
    assetScale: asset.scale,
  }
  return { ...err(error.type), minSendAmount }
}

/**
 * Rafiki's resolveReceiver: a receive amount must be in the receiver's asset and within what it
 * still takes; with no amount at all, the receiver must have an incomingAmount, and what remains
 * of it is what the quote delivers.
 */
function quoteTarget(
  input: CreateQuoteInput,
  receiver: Receiver,
): Result<QuoteTarget, CreateQuoteError> {
  const remaining = remainingToReceive(receiver)
  if (input.debitAmount) {
    return ok({ type: 'fixed_send', debitAmount: input.debitAmount.value, receiveMax: remaining })
  }
  if (input.receiveAmount) {
    const { receiveAmount } = input
    if (!sameAsset(receiveAmount, receiver.assetCode, receiver.assetScale)) {
      return err('invalid_amount')
    }
    if (remaining !== null && receiveAmount.value > remaining) return err('invalid_amount')
    return ok({ type: 'fixed_receive', receiveAmount: receiveAmount.value })
  }
  if (remaining === null || remaining === 0n) return err('invalid_amount')
  return ok({ type: 'fixed_receive', receiveAmount: remaining })
}
