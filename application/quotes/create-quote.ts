import type { Asset } from '../../domain/assets/asset.ts'
import type { Amount } from '../../domain/incoming-payments/incoming-payment.ts'
import {
  quoteAmounts,
  type QuoteAmounts,
  type QuoteAmountsError,
  type QuoteTarget,
} from '../../domain/quotes/quote-amounts.ts'
import {
  quoteExpiresAt,
  ratioValue,
  type IlpQuoteDetails,
  type Quote,
} from '../../domain/quotes/quote.ts'
import { amountBeforeFee, sendingFeeFor, type FeeAmounts } from '../../domain/fees/fee.ts'
import { unitRate, type ExchangeRate } from '../../domain/rates/exchange-rate.ts'
import { rateTo } from '../../domain/rates/rates-table.ts'
import { isPayable, remainingToReceive, type Receiver } from '../../domain/receivers/receiver.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Err, type Ok, type Result } from '../../domain/shared/result.ts'
import { isUInt64 } from '../../domain/shared/uint64.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { FeeRepository } from '../ports/fee-repository.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { IlpQuoter } from '../ports/payment-methods.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'
import type { Rates } from '../ports/rates.ts'
import type { Receivers } from '../ports/receivers.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import { activeWalletAddressById } from '../wallet-addresses/active-wallet-address-by-id.ts'

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
  /** A receiver on another node, and this node has no ILP quoter (never in a full node). */
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
  /** Quotes receivers on other nodes by probing the path; absent: they cannot be quoted. */
  readonly ilpQuoter?: IlpQuoter
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
    const found = await activeWalletAddressById(deps.walletAddresses, input.walletAddressId)
    if (!found.ok) return found
    const walletAddress = found.value
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
    const fee = await deps.fees.latest(asset.id, 'SENDING')
    const receiveAsset = { code: receiver.value.assetCode, scale: receiver.value.assetScale }
    let amounts: Ok<QuoteAmounts & { ilp: IlpQuoteDetails | null }> | CreateQuoteFailure
    if (receiver.value.localIncomingPaymentId === null) {
      if (deps.ilpQuoter === undefined) return err('ilp_quoting_unavailable')
      amounts = await ilpAmounts(deps.ilpQuoter, asset, receiver.value, fee, target.value)
    } else {
      const rate = await rateBetween(asset.code, receiver.value.assetCode)
      if (!rate.ok) return rate
      const local = quoteAmounts({
        debitAsset: asset,
        receiveAsset,
        rate: rate.value,
        fee,
        target: target.value,
      })
      amounts = local.ok ? ok({ ...local.value, ilp: null }) : amountsFailure(local.error, asset)
    }
    if (!amounts.ok) return amounts
    const nowMs = deps.clock.now()
    const quote = await deps.quotes.create({
      id: deps.ids.uuid(),
      walletAddressId: sender.value.walletAddressId,
      receiver: input.receiver,
      client: input.client ?? null,
      method: amounts.value.ilp === null ? 'LOCAL' : 'ILP',
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
      ilp: amounts.value.ilp,
      expiresAt: quoteExpiresAt(nowMs, deps.lifespanMs, receiver.value.expiresAt),
      createdAt: new Date(nowMs),
    })
    return ok(quote)
  }
}

/**
 * An ILP quote: the probed rate less SLIPPAGE, per packet of the path's maximum size. Fixed-send
 * probes what the debit leaves once the fee is taken; fixed-receive adds the fee to what the
 * probe says must be sent.
 */
async function ilpAmounts(
  quoter: IlpQuoter,
  asset: Asset,
  receiver: Receiver,
  fee: FeeAmounts | undefined,
  target: QuoteTarget,
): Promise<Ok<QuoteAmounts & { ilp: IlpQuoteDetails }> | CreateQuoteFailure> {
  const charged = fee ?? { fixed: 0n, basisPoints: 0 }
  const source = { id: asset.id, code: asset.code, scale: asset.scale, ledger: asset.ledger }
  let quoted
  if (target.type === 'fixed_send') {
    const principal = amountBeforeFee(target.debitAmount, charged)
    if (!principal.ok || principal.value === 0n) return err('non_positive_receive_amount')
    quoted = await quoter.quote({ source, receiver, sendAmount: principal.value })
  } else {
    quoted = await quoter.quote({ source, receiver, receiveAmount: target.receiveAmount })
  }
  if (!quoted.ok) {
    return err(quoted.error === 'receiver_unreachable' ? 'invalid_receiver' : quoted.error)
  }
  const { sendAmount, receiveAmount, details } = quoted.value
  if (
    target.type === 'fixed_send' &&
    target.receiveMax !== null &&
    receiveAmount > target.receiveMax
  ) {
    return err('invalid_amount')
  }
  const debitAmount =
    target.type === 'fixed_send'
      ? target.debitAmount
      : sendAmount + sendingFeeFor(sendAmount, charged)
  if (!isUInt64(debitAmount)) return err('invalid_amount')
  return ok({
    debitAmount,
    debitAmountMinusFees: sendAmount,
    receiveAmount,
    estimatedExchangeRate: ratioValue(details.lowEstimatedExchangeRate),
    ilp: details,
  })
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
