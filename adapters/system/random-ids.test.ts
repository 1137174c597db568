import { describe, expect, it } from 'vitest'
import { makeOrderedUuids, randomIds } from './random-ids.ts'

const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
/** The 48-bit Unix-millisecond timestamp at the front of a v7 UUID. */
const millisecondsOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16)

describe('randomIds', () => {
  it('uuid: random v4 UUIDs', () => {
    const ids = Array.from({ length: 1000 }, () => randomIds.uuid())
    for (const id of ids) expect(id).toMatch(v4)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('orderedUuid: v7 UUIDs carrying the current time, each greater than the last', () => {
    const before = Date.now()
    const ids = Array.from({ length: 20_000 }, () => randomIds.orderedUuid())
    const after = Date.now()
    for (const id of ids) expect(id).toMatch(v7)
    // 20,000 in a few milliseconds: the counter orders ids within one millisecond and may run
    // a few milliseconds ahead of the clock, never more than one per 2,048 ids.
    expect(millisecondsOf(ids[0]!)).toBeGreaterThanOrEqual(before)
    expect(millisecondsOf(ids.at(-1)!)).toBeLessThanOrEqual(after + ids.length / 2048 + 1)
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    // The random part varies in every position of its last group.
    for (let position = 24; position < 36; position++) {
      expect(new Set(ids.map((id) => id[position])).size).toBe(16)
    }
  })

  it('orderedUuid: still increasing when the clock stands still or steps back', () => {
    const times = [5_000, 5_000, 4_000, 4_000, 5_000, 6_000]
    let i = 0
    const next = makeOrderedUuids(() => times[Math.min(i++, times.length - 1)]!)
    const ids = Array.from({ length: 5_000 }, () => next())
    for (let k = 1; k < ids.length; k++) expect(ids[k]! > ids[k - 1]!).toBe(true)
    // The clock stood still at 6,000 for 4,995 ids: the timestamp moved ahead once its counter
    // of 4,096 ran out, and by no more than that.
    expect(millisecondsOf(ids[0]!)).toBe(5_000)
    expect(millisecondsOf(ids[5]!)).toBe(6_000)
    expect(millisecondsOf(ids.at(-1)!)).toBeGreaterThan(6_000)
    expect(millisecondsOf(ids.at(-1)!)).toBeLessThanOrEqual(6_002)
  })
})
