import { describe, expect, it } from 'vitest'
import {
  incomingPaymentData,
  isDueForExpiry,
  resolveExpiresAt,
  stateAfterReceiving,
  validateIncomingAmount,
  type IncomingPayment,
} from './incoming-payment.ts'

const nowMs = Date.UTC(2025, 0, 1)
const maxMs = 60_000
const usd = { code: 'USD', scale: 2 }
const amount = (value: bigint, assetCode = 'USD', assetScale = 2) => ({
  value,
  assetCode,
  assetScale,
})

describe('resolveExpiresAt', () => {
  it('defaults to now + the maximum', () => {
    expect(resolveExpiresAt(undefined, nowMs, maxMs)).toEqual({
      ok: true,
      value: new Date(nowMs + maxMs),
    })
  })
  it('keeps a future time up to the maximum', () => {
    const at = new Date(nowMs + maxMs)
    expect(resolveExpiresAt(at, nowMs, maxMs)).toEqual({ ok: true, value: at })
  })
  it.each([nowMs, nowMs - 1, nowMs + maxMs + 1, Number.NaN])('refuses %s', (ms) => {
    expect(resolveExpiresAt(new Date(ms), nowMs, maxMs)).toEqual({
      ok: false,
      error: 'invalid_expiry',
    })
  })
})

describe('validateIncomingAmount', () => {
  it('accepts none, and a positive amount in the asset', () => {
    expect(validateIncomingAmount(null, usd)).toEqual({ ok: true, value: null })
    expect(validateIncomingAmount(amount(1n), usd)).toEqual({ ok: true, value: amount(1n) })
  })
  it.each([amount(0n), amount(-1n), amount(2n ** 64n), amount(1n, 'EUR'), amount(1n, 'USD', 3)])(
    'refuses %o',
    (input) => {
      expect(validateIncomingAmount(input, usd)).toEqual({ ok: false, error: 'invalid_amount' })
    },
  )
})

describe('state rules', () => {
  it('moves to PROCESSING on money and COMPLETED at the incoming amount', () => {
    expect(stateAfterReceiving(amount(10n), 9n)).toBe('PROCESSING')
    expect(stateAfterReceiving(amount(10n), 10n)).toBe('COMPLETED')
    expect(stateAfterReceiving(amount(10n), 11n)).toBe('COMPLETED')
    expect(stateAfterReceiving(null, 10n ** 30n)).toBe('PROCESSING')
  })

  const payment: IncomingPayment = {
    id: '00000000-0000-4000-8000-000000000001',
    walletAddressId: '00000000-0000-4000-8000-000000000002',
    client: null,
    state: 'PROCESSING',
    incomingAmount: amount(10n),
    receivedAmount: amount(3n),
    expiresAt: new Date(nowMs),
    metadata: { note: 'x' },
    approvedAt: null,
    cancelledAt: null,
    createdAt: new Date(nowMs - 1000),
    updatedAt: new Date(nowMs - 500),
  }

  it('is due for expiry when active and past expiresAt', () => {
    expect(isDueForExpiry(payment, nowMs)).toBe(true)
    expect(isDueForExpiry(payment, nowMs - 1)).toBe(false)
    expect(isDueForExpiry({ ...payment, state: 'COMPLETED' }, nowMs)).toBe(false)
    expect(isDueForExpiry({ ...payment, state: 'EXPIRED' }, nowMs)).toBe(false)
  })

  it('shows webhook data with amounts as strings', () => {
    expect(incomingPaymentData(payment)).toEqual({
      id: payment.id,
      walletAddressId: payment.walletAddressId,
      state: 'PROCESSING',
      incomingAmount: { value: '10', assetCode: 'USD', assetScale: 2 },
      receivedAmount: { value: '3', assetCode: 'USD', assetScale: 2 },
      expiresAt: new Date(nowMs).toISOString(),
      metadata: { note: 'x' },
      createdAt: new Date(nowMs - 1000).toISOString(),
      updatedAt: new Date(nowMs - 500).toISOString(),
    })
  })
})
