import { describe, expect, it } from 'vitest'
import { isSettlementAccountId, settlementAccountId } from './account-ids.ts'

describe('settlement account ids', () => {
  it('derive a distinct, recognisable id from the asset id', () => {
    const assetId = '0b8f5a36-7c2e-4e0c-9d6a-2f4a2b0f1c11'
    const id = settlementAccountId(assetId)
    expect(id).toBe('0b8f5a36-7c2e-8e0c-9d6a-2f4a2b0f1c11')
    expect(isSettlementAccountId(id)).toBe(true)
    expect(isSettlementAccountId(assetId)).toBe(false)
  })

  it('refuse ids that are not version-4 UUIDs', () => {
    expect(() => settlementAccountId('nope')).toThrow(/not a v4/)
    expect(() => settlementAccountId('0b8f5a36-7c2e-8e0c-9d6a-2f4a2b0f1c11')).toThrow(/not a v4/)
  })
})
