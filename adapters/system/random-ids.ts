import type { IdGenerator } from '../../application/ports/ids.ts'

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * UUID v7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter (rand_a, method 1 of
 * section 6.2) that orders ids made within one millisecond, then 62 random bits. The counter
 * starts at a random value below 2048 each millisecond; if it runs out, the timestamp moves one
 * millisecond ahead, so ids stay strictly increasing even when the clock stands still or steps
 * back.
 */
export function makeOrderedUuids(now: () => number = Date.now): () => string {
  let lastMs = -1
  let counter = 0
  const pool = new Uint8Array(8 * 512)
  let used = pool.length
  return () => {
    const ms = now()
    if (ms > lastMs) {
      lastMs = ms
      counter = Math.floor(Math.random() * 2048)
    } else if (counter < 0xfff) {
      counter += 1
    } else {
      lastMs += 1
      counter = 0
    }
    if (used === pool.length) {
      crypto.getRandomValues(pool)
      used = 0
    }
    const r = used
    used += 8
    const high = Math.floor(lastMs / 2 ** 16)
    const low = lastMs % 2 ** 16
    const time = high.toString(16).padStart(8, '0') + '-' + low.toString(16).padStart(4, '0')
    const version = (0x7000 | counter).toString(16)
    const variant = hex[0x80 | (pool[r]! & 0x3f)]! + hex[pool[r + 1]!]!
    const tail =
      hex[pool[r + 2]!]! +
      hex[pool[r + 3]!]! +
      hex[pool[r + 4]!]! +
      hex[pool[r + 5]!]! +
      hex[pool[r + 6]!]! +
      hex[pool[r + 7]!]!
    return `${time}-${version}-${variant}-${tail}`
  }
}

// The global Web Crypto object exists on Node 20+, Bun and Deno, so no node:crypto import.
export const randomIds: IdGenerator = {
  uuid: () => crypto.randomUUID(),
  orderedUuid: makeOrderedUuids(),
}
