// JSON that keeps bigint and Date, for storing mutation results and fingerprinting arguments.
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export function toTagged(value: unknown): Json {
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (value instanceof Date) return { $date: value.toISOString() }
  if (Array.isArray(value)) return value.map(toTagged)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {}
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = toTagged(item)
    }
    return out
  }
  if (value === undefined) return null
  return value as Json
}

export function fromTagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromTagged)
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    if (typeof record['$bigint'] === 'string') return BigInt(record['$bigint'])
    if (typeof record['$date'] === 'string') return new Date(record['$date'])
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(record)) out[key] = fromTagged(item)
    return out
  }
  return value
}
