import { assert } from './assert.ts'

/**
 * JSON Canonicalization Scheme (RFC 8785): keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as ECMAScript serializes them. Used for webhook and admin API signatures.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value)
  }
  if (typeof value === 'number') {
    assert(Number.isFinite(value), 'canonical JSON cannot hold a non-finite number')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  assert(false, `canonical JSON cannot hold a ${typeof value}`)
}
