import { serializeIlpReject, type IlpPrepare, type IlpReply } from 'ilp-packet'
import { describe, expect, it } from 'vitest'
import { openStreamSender } from '../../adapters/ilp/stream-sender.ts'
import { makeStreamReceiver } from '../../adapters/ilp/stream-receiver.ts'
import { makeMemoryCache } from '../../adapters/memory/memory-cache.ts'
import { systemClock } from '../../adapters/system/system-clock.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import type { Quote } from '../../domain/quotes/quote.ts'
import type { Receiver } from '../../domain/receivers/receiver.ts'
import { ok } from '../../domain/shared/result.ts'
import type { ConnectorAsset, SourceAccount } from '../connector/accounts.ts'
import type { HandlePacket } from '../connector/handle-packet.ts'
import { makeIlpPaymentMethod, makeIlpQuoter } from './ilp.ts'

const usd: ConnectorAsset = { id: randomIds.uuid(), code: 'USD', scale: 2, ledger: 1 }

type Path = {
  /** Destination units per source unit, applied with rounding down, as a connector does. */
  rate: { numerator: bigint; denominator: bigint }
  /** Prepares above this are refused F08 by the path. */
  maxPacketAmount: bigint
  /** Packets whose source was a probe, and the rest. */
  sources: SourceAccount[]
  /** What the receiver credited, in its units. */
  credited: bigint
  /** The receiver stops taking money once it has this much (an incoming payment's amount). */
  limit: bigint | null
}

async function setup(path: Partial<Path> = {}) {
  const state: Path = {
    rate: { numerator: 91n, denominator: 100n },
    maxPacketAmount: 10n ** 12n,
    sources: [],
    credited: 0n,
    limit: null,
    ...path,
  }
  const receiver = makeStreamReceiver({
    ilpAddress: 'test.remote',
    secret: Buffer.alloc(32, 7),
    cache: makeMemoryCache(systemClock),
  })
  const credentials = receiver.credentials({ kind: 'incoming-payment', id: randomIds.uuid() })
  const handlePacket: HandlePacket = async (source, prepare: IlpPrepare): Promise<IlpReply> => {
    state.sources.push(source)
    const amount = BigInt(prepare.amount)
    if (amount > state.maxPacketAmount) {
      const data = Buffer.alloc(16)
      data.writeBigUInt64BE(amount, 0)
      data.writeBigUInt64BE(state.maxPacketAmount, 8)
      return deserialize(
        serializeIlpReject({ code: 'F08', triggeredBy: 'test.path', message: 'too large', data }),
      )
    }
    const receivedAmount = (amount * state.rate.numerator) / state.rate.denominator
    return receiver.receive({
      prepare,
      asset: { code: 'EUR', scale: 2 },
      receivedAmount,
      credit: async (value) => {
        if (state.limit !== null && state.credited >= state.limit)
          return { ok: false, error: 'closed' }
        state.credited += value
        return ok(undefined)
      },
    })
  }
  const remote: Receiver = {
    id: 'https://remote.example/alice/incoming-payments/1',
    walletAddressUrl: 'https://remote.example/alice',
    assetCode: 'EUR',
    assetScale: 2,
    incomingAmount: null,
    receivedAmount: { value: 0n, assetCode: 'EUR', assetScale: 2 },
    completed: false,
    expiresAt: null,
    metadata: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ilp: { ilpAddress: credentials.ilpAddress, sharedSecret: credentials.sharedSecret },
    localIncomingPaymentId: null,
  }
  const deps = { handlePacket, openStreamSender, slippage: 0.01, retryDelayMs: 1 }
  return { state, remote, quoter: makeIlpQuoter(deps), method: makeIlpPaymentMethod(deps) }
}

async function deserialize(bytes: Buffer): Promise<IlpReply> {
  const { deserializeIlpReply } = await import('ilp-packet')
  return deserializeIlpReply(bytes)
}

const quoteOf = (details: NonNullable<Quote['ilp']>, debit: bigint, receive: bigint): Quote => ({
  id: randomIds.uuid(),
  walletAddressId: randomIds.uuid(),
  receiver: 'https://remote.example/alice/incoming-payments/1',
  client: null,
  method: 'ILP',
  debitAmount: { value: debit, assetCode: 'USD', assetScale: 2 },
  debitAmountMinusFees: debit,
  receiveAmount: { value: receive, assetCode: 'EUR', assetScale: 2 },
  estimatedExchangeRate: 0.91,
  feeId: null,
  ilp: details,
  expiresAt: new Date(Date.now() + 60_000),
  createdAt: new Date(),
})

describe('ILP payment method', () => {
  it('quotes by probing: the path rate less slippage, and moves no money doing it', async () => {
    const t = await setup()
    const quoted = await t.quoter.quote({ source: usd, receiver: t.remote, receiveAmount: 500n })
    expect(quoted.ok).toBe(true)
    if (!quoted.ok) return
    const { details } = quoted.value
    expect(
      Number(details.lowEstimatedExchangeRate.numerator) /
        Number(details.lowEstimatedExchangeRate.denominator),
    ).toBeCloseTo(0.91, 6)
    // 0.91 less 1%: 0.9009, so 500 EUR cost 556 USD (555 deliver 499.99).
    expect(quoted.value.sendAmount).toBe(556n)
    expect(t.state.credited).toBe(0n)
    expect(t.state.sources.every((s) => s.kind === 'local' && s.probe === true)).toBe(true)
  })

  it('learns the path’s maximum packet amount from F08', async () => {
    const t = await setup({ maxPacketAmount: 40n })
    const quoted = await t.quoter.quote({ source: usd, receiver: t.remote, sendAmount: 1_000n })
    expect(quoted.ok && quoted.value.details.maxPacketAmount).toBe(40n)
    // The biggest probe that passes (40) delivers 36: a rate of 0.9, less 1% 0.891, so each of
    // the 25 packets of 40 must deliver floor(35.64) = 35.
    expect(quoted.ok && quoted.value.receiveAmount).toBe(875n)
  })

  it('says when the receiver cannot be reached or the amount delivers nothing', async () => {
    const t = await setup({ rate: { numerator: 1n, denominator: 10n ** 15n } })
    expect(await t.quoter.quote({ source: usd, receiver: t.remote, sendAmount: 5n })).toEqual({
      ok: false,
      error: 'non_positive_receive_amount',
    })
    const closed = { ...t.remote, ilp: null }
    expect(await t.quoter.quote({ source: usd, receiver: closed, sendAmount: 5n })).toEqual({
      ok: false,
      error: 'receiver_unreachable',
    })
  })

  it('pays a receiver with an incoming amount exactly what it still takes, in packets', async () => {
    const t = await setup({ maxPacketAmount: 100n })
    const receiver = {
      ...t.remote,
      incomingAmount: { value: 500n, assetCode: 'EUR', assetScale: 2 },
    }
    const quoted = await t.quoter.quote({ source: usd, receiver, receiveAmount: 500n })
    if (!quoted.ok) throw new Error(quoted.error)
    const source: SourceAccount = { kind: 'local', id: randomIds.uuid(), asset: usd }
    const paid = await t.method.pay({
      paymentId: randomIds.uuid(),
      source,
      receiver,
      quote: quoteOf(quoted.value.details, quoted.value.sendAmount, 500n),
      maxDebit: quoted.value.sendAmount,
      receiveAmount: { value: 500n, assetCode: 'EUR', assetScale: 2 },
    })
    expect(paid.ok).toBe(true)
    if (!paid.ok) return
    // Sized by the probed rate (0.91), the packets deliver exactly what is missing.
    expect(paid.value.delivered).toBe(500n)
    expect(paid.value.debited).toBeLessThanOrEqual(quoted.value.sendAmount)
    expect(t.state.credited).toBe(paid.value.delivered)
  })

  it('sends the whole debit to an open-ended receiver and never more', async () => {
    const t = await setup({ maxPacketAmount: 70n })
    const quoted = await t.quoter.quote({ source: usd, receiver: t.remote, sendAmount: 1_000n })
    if (!quoted.ok) throw new Error(quoted.error)
    const paid = await t.method.pay({
      paymentId: randomIds.uuid(),
      source: { kind: 'local', id: randomIds.uuid(), asset: usd },
      receiver: t.remote,
      quote: quoteOf(quoted.value.details, 1_000n, quoted.value.receiveAmount),
      maxDebit: 1_000n,
      receiveAmount: { value: quoted.value.receiveAmount, assetCode: 'EUR', assetScale: 2 },
    })
    // 14 packets of 70 deliver 63 each at 0.91, the last 20 deliver 18.
    expect(paid).toEqual({ ok: true, value: { debited: 1_000n, delivered: 900n } })
    expect(t.state.credited).toBe(900n)
    expect(quoted.value.receiveAmount).toBeLessThanOrEqual(900n)
  })

  it('stops, not retryable, when the receiver closes or the rate falls below the minimum', async () => {
    const t = await setup({ limit: 100n, maxPacketAmount: 50n })
    const quoted = await t.quoter.quote({ source: usd, receiver: t.remote, sendAmount: 1_000n })
    if (!quoted.ok) throw new Error(quoted.error)
    const input = {
      paymentId: randomIds.uuid(),
      source: { kind: 'local' as const, id: randomIds.uuid(), asset: usd },
      receiver: t.remote,
      quote: quoteOf(quoted.value.details, 1_000n, quoted.value.receiveAmount),
      maxDebit: 1_000n,
      receiveAmount: { value: quoted.value.receiveAmount, assetCode: 'EUR', assetScale: 2 },
    }
    const closed = await t.method.pay(input)
    expect(closed.ok).toBe(false)
    if (closed.ok) return
    expect(closed.error).toMatchObject({ error: 'receiver_completed_or_expired', retryable: false })
    expect(closed.error.delivered).toBe(t.state.credited)
    const fresh = await setup({ maxPacketAmount: 50n })
    const quotedFresh = await fresh.quoter.quote({
      source: usd,
      receiver: fresh.remote,
      sendAmount: 1_000n,
    })
    if (!quotedFresh.ok) throw new Error(quotedFresh.error)
    fresh.state.rate = { numerator: 80n, denominator: 100n }
    const low = await fresh.method.pay({
      ...input,
      receiver: fresh.remote,
      quote: quoteOf(quotedFresh.value.details, 1_000n, quotedFresh.value.receiveAmount),
    })
    expect(low.ok).toBe(false)
    if (low.ok) return
    expect(low.error).toMatchObject({ error: 'rate_too_low', retryable: false, debited: 0n })
    expect(fresh.state.credited).toBe(0n)
  })
})
