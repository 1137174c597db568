import { describe, expect, it } from 'vitest'
import {
  canTransition,
  cancelledMetadata,
  decideOnFailure,
  isFinal,
  paymentTransferId,
  planSending,
  retryBackoffMs,
  transferPurposes,
} from './outgoing-payment.ts'

describe('outgoing payment state machine', () => {
  it('goes FUNDING -> SENDING -> COMPLETED|FAILED, and cancels only while FUNDING', () => {
    expect(canTransition('FUNDING', 'SENDING')).toBe(true)
    expect(canTransition('FUNDING', 'CANCELLED')).toBe(true)
    expect(canTransition('SENDING', 'COMPLETED')).toBe(true)
    expect(canTransition('SENDING', 'FAILED')).toBe(true)
    expect(canTransition('SENDING', 'CANCELLED')).toBe(false)
    expect(canTransition('FUNDING', 'COMPLETED')).toBe(false)
    expect(canTransition('COMPLETED', 'SENDING')).toBe(false)
    expect(['COMPLETED', 'FAILED', 'CANCELLED'].every((s) => isFinal(s as never))).toBe(true)
    expect(isFinal('SENDING')).toBe(false)
  })

  it('keeps the cancellation reason in the metadata, as Rafiki', () => {
    expect(cancelledMetadata({ a: 1 }, 'why')).toEqual({ a: 1, cancellationReason: 'why' })
    expect(cancelledMetadata(null, 'why')).toEqual({ cancellationReason: 'why' })
    expect(cancelledMetadata({ a: 1 }, null)).toEqual({ a: 1 })
  })
})

describe('worker decisions', () => {
  it('retries a retryable failure with growing back-off until the attempts run out', () => {
    expect(decideOnFailure(0, { retryable: true }, 5)).toEqual({
      kind: 'retry',
      stateAttempts: 1,
      delayMs: 10_000,
    })
    expect(decideOnFailure(3, { retryable: true }, 5)).toEqual({
      kind: 'retry',
      stateAttempts: 4,
      delayMs: 40_000,
    })
    expect(decideOnFailure(4, { retryable: true }, 5)).toEqual({ kind: 'fail' })
    expect(decideOnFailure(0, { retryable: false }, 5)).toEqual({ kind: 'fail' })
    expect(retryBackoffMs(9)).toBe(60_000)
  })

  it('plans what is left from what the ledger says was sent', () => {
    const base = { debitAmount: 550n, receiveAmount: 500n, estimatedExchangeRate: 0.91 }
    expect(planSending({ ...base, sent: 0n, receiverRemaining: 500n })).toEqual({
      kind: 'send',
      maxDebit: 550n,
      maxReceive: 500n,
    })
    // 100 sent: ceil(91) delivered already.
    expect(planSending({ ...base, sent: 100n, receiverRemaining: null })).toEqual({
      kind: 'send',
      maxDebit: 450n,
      maxReceive: 409n,
    })
    expect(planSending({ ...base, sent: 100n, receiverRemaining: 50n })).toMatchObject({
      maxReceive: 50n,
    })
    expect(planSending({ ...base, sent: 550n, receiverRemaining: 500n })).toEqual({
      kind: 'complete',
    })
    expect(planSending({ ...base, sent: 0n, receiverRemaining: 0n })).toEqual({ kind: 'complete' })
    const cheap = { debitAmount: 10n, receiveAmount: 500n, estimatedExchangeRate: 1 }
    expect(planSending({ ...cheap, sent: 10n, receiverRemaining: null })).toEqual({
      kind: 'bad_state',
    })
  })

  it('derives stable, distinct, non-v4 transfer ids from the payment id', () => {
    const id = '0f8b6a2c-1d3e-4a5b-9c7d-123456789abc'
    const deposit = paymentTransferId(id, transferPurposes.deposit)
    expect(deposit).toBe('0f8b6a2c-1d3e-8001-9c7d-123456789abc')
    expect(paymentTransferId(id, transferPurposes.deposit)).toBe(deposit)
    expect(paymentTransferId(id, transferPurposes.localDebit)).not.toBe(deposit)
    expect(paymentTransferId(id.toUpperCase(), transferPurposes.deposit)).toBe(deposit)
  })
})
