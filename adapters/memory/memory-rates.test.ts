import { describe, expect, it } from 'vitest'
import { AssertionError } from '../../domain/shared/assert.ts'
import { makeMemoryRates } from './memory-rates.ts'

const usd = { code: 'USD', scale: 2 }
const eur = { code: 'EUR', scale: 2 }
const usd6 = { code: 'USD', scale: 6 }

describe('memory rates', () => {
  it('converts with its table, rounding down to the receiver and up for the sender', async () => {
    const rates = makeMemoryRates({ USD: { EUR: 0.91 } })
    const request = { sourceAsset: usd, destinationAsset: eur }
    expect(await rates.convertSource({ ...request, sourceAmount: 150n })).toEqual({
      ok: true,
      value: 136n,
    })
    expect(await rates.convertDestination({ ...request, destinationAmount: 136n })).toEqual({
      ok: true,
      value: 150n,
    })
    expect(rates.requestedBases).toEqual(['USD', 'USD'])
  })

  it('rescales within one code without asking for rates', async () => {
    const rates = makeMemoryRates()
    expect(
      await rates.convertSource({ sourceAmount: 123n, sourceAsset: usd, destinationAsset: usd6 }),
    ).toEqual({ ok: true, value: 1_230_000n })
    expect(
      await rates.convertDestination({
        destinationAmount: 1_230_001n,
        sourceAsset: usd,
        destinationAsset: usd6,
      }),
    ).toEqual({ ok: true, value: 124n })
    expect(rates.requestedBases).toEqual([])
  })

  it('answers missing_rate for an unknown base or code, and a zero rate', async () => {
    const rates = makeMemoryRates({ USD: { JPY: 0 } })
    const from = (sourceAsset: typeof usd, code: string) =>
      rates.convertSource({ sourceAmount: 1n, sourceAsset, destinationAsset: { code, scale: 2 } })
    expect(await from(eur, 'USD')).toEqual({ ok: false, error: 'missing_rate' })
    expect(await from(usd, 'GBP')).toEqual({ ok: false, error: 'missing_rate' })
    expect(await from(usd, 'JPY')).toEqual({ ok: false, error: 'missing_rate' })
  })

  it('replaces rates and simulates an unavailable service', async () => {
    const rates = makeMemoryRates({ USD: { EUR: 0.91 } })
    rates.setRates('USD', { EUR: 2 })
    const request = { sourceAmount: 5n, sourceAsset: usd, destinationAsset: eur }
    expect(await rates.convertSource(request)).toEqual({ ok: true, value: 10n })
    rates.fail('rates_unavailable')
    expect(await rates.convertSource(request)).toEqual({ ok: false, error: 'rates_unavailable' })
    expect(await rates.getRates('USD')).toEqual({ ok: false, error: 'rates_unavailable' })
    rates.fail(undefined)
    const table = await rates.getRates('USD')
    expect(table.ok && table.value.rates.get('EUR')?.value).toBe(2)
  })

  it('reports overflow', async () => {
    const rates = makeMemoryRates({ USD: { EUR: 2 } })
    const request = { sourceAmount: 2n ** 63n, sourceAsset: usd, destinationAsset: eur }
    expect(await rates.convertSource(request)).toEqual({ ok: false, error: 'amount_overflow' })
  })

  it('refuses an invalid table as a bug in the test', () => {
    expect(() => makeMemoryRates({ USD: { EUR: -1 } })).toThrow(AssertionError)
  })
})
