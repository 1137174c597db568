// TigerBeetle ids are u128; ours are UUIDs. The 32 hex digits of a UUID are the number itself,
// so the mapping is a bijection and TigerBeetle's ordering of ids matches the UUIDs' text order.
import { assert } from '../../domain/shared/assert.ts'
import { isUuid } from '../../domain/shared/uuid.ts'

export const u128Max = 2n ** 128n - 1n

export function uuidToU128(uuid: string): bigint {
  assert(isUuid(uuid), `not a UUID: ${JSON.stringify(uuid)}`)
  return BigInt(`0x${uuid.replaceAll('-', '')}`)
}

/** Lowercase and dashed, as `crypto.randomUUID()` writes them. */
export function u128ToUuid(value: bigint): string {
  assert(value >= 0n && value <= u128Max, `not a u128: ${value}`)
  const hex = value.toString(16).padStart(32, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** TigerBeetle reserves 0 and 2^128 - 1; the nil and max UUIDs are valid UUIDs all the same. */
export const isReservedU128 = (value: bigint): boolean => value === 0n || value === u128Max
