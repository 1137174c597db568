import { describe, expect, it } from 'vitest'
import {
  checkPaymentAgainstLimits,
  grantSpentAmounts,
  spentAgainstLimits,
  withinLimits,
  type SpentByAssets,
} from './grant-limits.ts'

const usd = (value: bigint) => ({ value, assetCode: 'USD', assetScale: 2 })
const eur = (value: bigint) => ({ value, assetCode: 'EUR', assetScale: 2 })
const receiver = 'https://op.example/incoming-payments/1'
const payment = { receiver, debitAmount: usd(550n), receiveAmount: eur(500n) }
const now = new Date('2020-01-01T05:30:00Z')
const sums = (debit: bigint, receive: bigint, asset = 'EUR'): SpentByAssets => ({
  debitAssetCode: 'USD',
  debitAssetScale: 2,
  receiveAssetCode: asset,
  receiveAssetScale: 2,
  debit,
  receive,
})

describe('checkPaymentAgainstLimits', () => {
  it('refuses another receiver, other assets, a payment alone too large, no current interval', () => {
    const refused = (limits: Parameters<typeof checkPaymentAgainstLimits>[0]) =>
      checkPaymentAgainstLimits(limits, payment, now).ok
    expect(refused({ receiver: `${receiver}x` })).toBe(false)
    expect(refused({ debitAmount: eur(1000n) })).toBe(false)
    expect(refused({ receiveAmount: usd(1000n) })).toBe(false)
    expect(refused({ debitAmount: usd(549n) })).toBe(false)
    expect(refused({ receiveAmount: eur(499n) })).toBe(false)
    expect(refused({ interval: 'R1/2020-01-01T00:00:00Z/PT1H' })).toBe(false)
    expect(refused({ interval: 'not an interval' })).toBe(false)
    expect(refused({ receiver, debitAmount: usd(550n), receiveAmount: eur(500n) })).toBe(true)
  })

  it('gives the interval containing now as the window, or none without an interval', () => {
    const hourly = checkPaymentAgainstLimits(
      { debitAmount: usd(600n), interval: 'R/2020-01-01T00:00:00Z/PT1H' },
      payment,
      now,
    )
    expect(hourly).toEqual({
      ok: true,
      value: {
        period: { start: new Date('2020-01-01T05:00:00Z'), end: new Date('2020-01-01T06:00:00Z') },
      },
    })
    expect(checkPaymentAgainstLimits({ debitAmount: usd(600n) }, payment, now)).toEqual({
      ok: true,
      value: { period: undefined },
    })
  })
})

describe('withinLimits', () => {
  it('allows exactly up to the limit and not one unit more', () => {
    const limits = { debitAmount: usd(1100n) }
    expect(withinLimits(limits, { debit: 550n, receive: 0n }, payment)).toBe(true)
    expect(withinLimits(limits, { debit: 551n, receive: 0n }, payment)).toBe(false)
    const receive = { receiveAmount: eur(1000n) }
    expect(withinLimits(receive, { debit: 10_000n, receive: 500n }, payment)).toBe(true)
    expect(withinLimits(receive, { debit: 0n, receive: 501n }, payment)).toBe(false)
  })
})

describe('spent amounts', () => {
  it('adds the sums of one asset pair; a second receive asset has no total', () => {
    expect(grantSpentAmounts([])).toEqual({ debit: null, receive: null })
    expect(grantSpentAmounts([sums(550n, 500n)])).toEqual({
      debit: usd(550n),
      receive: eur(500n),
    })
    expect(grantSpentAmounts([sums(550n, 500n), sums(100n, 100n, 'USD')])).toEqual({
      debit: usd(650n),
      receive: null,
    })
  })

  it('counts against a receive limit only deliveries in its asset', () => {
    const both = [sums(550n, 500n), sums(100n, 100n, 'USD')]
    expect(spentAgainstLimits({ receiveAmount: eur(1n) }, both)).toEqual({
      debit: 650n,
      receive: 500n,
    })
    expect(spentAgainstLimits({ debitAmount: usd(1n) }, both)).toEqual({
      debit: 650n,
      receive: 600n,
    })
  })
})
