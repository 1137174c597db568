import { describe, expect, it } from 'vitest'
import { validateAssetCode, validateAssetScale, validateThreshold } from './asset.ts'

describe('asset rules', () => {
  it.each(['USD', 'EUR', 'XRP', 'mUSD', 'a'.repeat(32)])('accepts code %s', (code) => {
    expect(validateAssetCode(code)).toEqual({ ok: true, value: code })
  })

  it.each(['', ' ', 'US D', 'USD\n', 'a'.repeat(33)])('refuses code %j', (code) => {
    expect(validateAssetCode(code)).toEqual({ ok: false, error: 'invalid_asset_code' })
  })

  it.each([0, 2, 9, 255])('accepts scale %i', (scale) => {
    expect(validateAssetScale(scale).ok).toBe(true)
  })

  it.each([-1, 256, 1.5, Number.NaN])('refuses scale %d', (scale) => {
    expect(validateAssetScale(scale)).toEqual({ ok: false, error: 'invalid_asset_scale' })
  })

  it('bounds thresholds to unsigned 64 bits', () => {
    expect(validateThreshold(null).ok).toBe(true)
    expect(validateThreshold(0n).ok).toBe(true)
    expect(validateThreshold(2n ** 64n - 1n).ok).toBe(true)
    expect(validateThreshold(2n ** 64n).ok).toBe(false)
    expect(validateThreshold(-1n).ok).toBe(false)
  })
})
