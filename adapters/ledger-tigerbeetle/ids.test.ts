import { describe, expect, it } from 'vitest'
import { isReservedU128, u128Max, u128ToUuid, uuidToU128 } from './ids.ts'

describe('uuid <-> u128', () => {
  it('round-trips random UUIDs', () => {
    for (let i = 0; i < 100; i += 1) {
      const uuid = crypto.randomUUID()
      expect(u128ToUuid(uuidToU128(uuid))).toBe(uuid)
    }
  })

  it('maps the nil and max UUIDs to 0 and 2^128 - 1, and back', () => {
    const nil = '00000000-0000-0000-0000-000000000000'
    const max = 'ffffffff-ffff-ffff-ffff-ffffffffffff'
    expect(uuidToU128(nil)).toBe(0n)
    expect(uuidToU128(max)).toBe(u128Max)
    expect(u128ToUuid(0n)).toBe(nil)
    expect(u128ToUuid(u128Max)).toBe(max)
    expect(isReservedU128(0n) && isReservedU128(u128Max)).toBe(true)
    expect(isReservedU128(1n) || isReservedU128(u128Max - 1n)).toBe(false)
  })

  it('reads the hex digits as the number, so ids keep their order', () => {
    expect(uuidToU128('00000000-0000-0000-0000-000000000001')).toBe(1n)
    expect(uuidToU128('01234567-89ab-cdef-0123-456789abcdef')).toBe(
      0x0123456789abcdef0123456789abcdefn,
    )
    expect(u128ToUuid(0x0123456789abcdef0123456789abcdefn)).toBe(
      '01234567-89ab-cdef-0123-456789abcdef',
    )
  })

  it('accepts uppercase and gives lowercase back', () => {
    const upper = 'ABCDEF01-2345-4789-ABCD-EF0123456789'
    expect(u128ToUuid(uuidToU128(upper))).toBe(upper.toLowerCase())
  })

  it('asserts on what is no UUID or no u128', () => {
    for (const bad of [
      '',
      'not-a-uuid',
      '0123456789abcdef0123456789abcdef',
      `${crypto.randomUUID()}0`,
    ]) {
      expect(() => uuidToU128(bad)).toThrow(/not a UUID/)
    }
    expect(() => u128ToUuid(-1n)).toThrow(/not a u128/)
    expect(() => u128ToUuid(u128Max + 1n)).toThrow(/not a u128/)
  })
})
