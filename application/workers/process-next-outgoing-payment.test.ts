import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import type { OutgoingPayment } from '../../domain/outgoing-payments/outgoing-payment.ts'
import type { Logger } from '../ports/logger.ts'
import type { OutgoingPaymentRepository } from '../ports/outgoing-payment-repository.ts'
import type { QuoteRepository } from '../ports/quote-repository.ts'
import {
  makeProcessNextOutgoingPayment,
  type ProcessNextOutgoingPaymentDeps,
} from './process-next-outgoing-payment.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const usd = (value: bigint) => ({ value, assetCode: 'USD', assetScale: 2 })

describe('outgoing payment worker', () => {
  it('renews the lease of the payment it is sending, and only while it sends', async () => {
    const payment: OutgoingPayment = {
      id: randomIds.uuid(),
      walletAddressId: randomIds.uuid(),
      quoteId: randomIds.uuid(),
      receiver: 'https://op.example/incoming-payments/1',
      debitAmount: usd(500n),
      receiveAmount: usd(500n),
      sentAmount: usd(0n),
      state: 'SENDING',
      error: null,
      stateAttempts: 0,
      grantId: null,
      client: null,
      metadata: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    }
    const renewals: { id: string; until: Date }[] = []
    const retries: string[] = []
    let claimed = false
    const outgoingPayments = {
      async claimNext() {
        if (claimed) return undefined
        claimed = true
        return payment
      },
      async renewLease(id: string, until: Date) {
        renewals.push({ id, until })
      },
      async scheduleRetry(id: string) {
        retries.push(id)
      },
    } as unknown as OutgoingPaymentRepository
    // The attempt takes a while (its first read is slow), then fails in a retryable way.
    const quotes = {
      getById: () =>
        new Promise((_, reject) => setTimeout(() => reject(new Error('database away')), 80)),
    } as unknown as QuoteRepository
    const clock = makeFakeClock()
    const leaseMs = 30
    const processNext = makeProcessNextOutgoingPayment({
      outgoingPayments,
      quotes,
      ledger: makeMemoryLedger(clock),
      clock,
      ids: randomIds,
      logger: silent,
      attemptsMax: 5,
      leaseMs,
    } as unknown as ProcessNextOutgoingPaymentDeps)

    expect(await processNext()).toBe(true)
    expect(retries).toEqual([payment.id])
    // 80 ms of sending with a 30 ms lease: renewed every 10 ms, each time to now + 30 ms.
    expect(renewals.length).toBeGreaterThanOrEqual(4)
    expect(renewals.every((r) => r.id === payment.id)).toBe(true)
    expect(renewals[0]?.until.getTime()).toBe(clock.now() + leaseMs)
    const renewed = renewals.length
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(renewals.length).toBe(renewed)
  })
})
