import { err, ok, type Result } from '../shared/result.ts'
import { isUInt64 } from '../shared/uint64.ts'
import type { JsonObject } from '../webhooks/webhook-event.ts'

export const incomingPaymentStates = ['PENDING', 'PROCESSING', 'COMPLETED', 'EXPIRED'] as const

export type IncomingPaymentState = (typeof incomingPaymentStates)[number]

export type Amount = {
  readonly value: bigint
  readonly assetCode: string
  readonly assetScale: number
}

export type IncomingPayment = {
  readonly id: string
  readonly walletAddressId: string
  /** Wallet address URL of the Open Payments client that created it; null from the admin API. */
  readonly client: string | null
  readonly state: IncomingPaymentState
  /** null: open-ended, it never completes by itself (only by `complete` or expiry). */
  readonly incomingAmount: Amount | null
  /** Always in the wallet address's asset. */
  readonly receivedAmount: Amount
  readonly expiresAt: Date
  readonly metadata: JsonObject | null
  readonly approvedAt: Date | null
  readonly cancelledAt: Date | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type AssetOf = { readonly code: string; readonly scale: number }

/** Rafiki's INCOMING_PAYMENT_EXPIRY_MAX_MS default: 30 days. */
export const incomingPaymentExpiryMaxMsDefault = 2_592_000_000

/** States a payment can still receive money (and be completed, expired, approved) in. */
export const activeStates = ['PENDING', 'PROCESSING'] as const satisfies IncomingPaymentState[]

const states: ReadonlySet<string> = new Set(incomingPaymentStates)

export const isIncomingPaymentState = (value: string): value is IncomingPaymentState =>
  states.has(value)

export const isActive = (state: IncomingPaymentState): boolean =>
  state === 'PENDING' || state === 'PROCESSING'

/**
 * expiresAt defaults to now + expiryMaxMs; a requested one must be in the future and no later
 * than now + expiryMaxMs (Rafiki refuses both with InvalidExpiry).
 */
export function resolveExpiresAt(
  requested: Date | null | undefined,
  nowMs: number,
  expiryMaxMs: number,
): Result<Date, 'invalid_expiry'> {
  if (requested == null) return ok(new Date(nowMs + expiryMaxMs))
  const at = requested.getTime()
  if (Number.isNaN(at) || at <= nowMs || at > nowMs + expiryMaxMs) return err('invalid_expiry')
  return ok(requested)
}

/** incomingAmount must be positive, fit in 64 bits and be in the wallet address's asset. */
export function validateIncomingAmount(
  amount: Amount | null | undefined,
  asset: AssetOf,
): Result<Amount | null, 'invalid_amount'> {
  if (amount == null) return ok(null)
  if (amount.value <= 0n || !isUInt64(amount.value)) return err('invalid_amount')
  if (amount.assetCode !== asset.code || amount.assetScale !== asset.scale) {
    return err('invalid_amount')
  }
  return ok({ value: amount.value, assetCode: asset.code, assetScale: asset.scale })
}

/**
 * The state after `amount` more is received: PROCESSING on money, COMPLETED once received
 * reaches incomingAmount. Only an active payment can receive (the caller checks).
 */
export function stateAfterReceiving(
  incomingAmount: Amount | null,
  receivedValue: bigint,
): IncomingPaymentState {
  return incomingAmount !== null && receivedValue >= incomingAmount.value
    ? 'COMPLETED'
    : 'PROCESSING'
}

/** Due for the expiry worker: active and past expiresAt. */
export const isDueForExpiry = (payment: IncomingPayment, nowMs: number): boolean =>
  isActive(payment.state) && payment.expiresAt.getTime() <= nowMs

const amountData = (amount: Amount): JsonObject => ({
  value: amount.value.toString(),
  assetCode: amount.assetCode,
  assetScale: amount.assetScale,
})

/** The payment as the admin API shows it, amounts as strings: webhook event data. */
export function incomingPaymentData(payment: IncomingPayment): JsonObject {
  return {
    id: payment.id,
    walletAddressId: payment.walletAddressId,
    state: payment.state,
    ...(payment.incomingAmount && { incomingAmount: amountData(payment.incomingAmount) }),
    receivedAmount: amountData(payment.receivedAmount),
    expiresAt: payment.expiresAt.toISOString(),
    ...(payment.metadata && { metadata: payment.metadata }),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
    ...(payment.approvedAt && { approvedAt: payment.approvedAt.toISOString() }),
    ...(payment.cancelledAt && { cancelledAt: payment.cancelledAt.toISOString() }),
  }
}
