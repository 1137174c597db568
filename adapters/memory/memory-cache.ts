import type { Cache } from '../../application/ports/cache.ts'
import type { Clock } from '../../application/ports/clock.ts'
import { assert } from '../../domain/shared/assert.ts'

export type MemoryCacheOptions = {
  /** Entries kept at most; past it, expired entries go first, then the oldest written. */
  readonly entriesMax?: number
  /** A full sweep of expired entries runs at most this often, triggered by writes. */
  readonly sweepIntervalMs?: number
}

type Entry = { readonly value: string; readonly expiresAtMs: number }

const entriesMaxDefault = 100_000
const sweepIntervalMsDefault = 60_000

// One process only: every replica would see its own copy. There are no timers, so an idle cache
// never keeps a process alive; expired entries are dropped when read or swept during writes.
export function makeMemoryCache(clock: Clock, options: MemoryCacheOptions = {}): Cache {
  const entriesMax = options.entriesMax ?? entriesMaxDefault
  const sweepIntervalMs = options.sweepIntervalMs ?? sweepIntervalMsDefault
  assert(Number.isSafeInteger(entriesMax) && entriesMax > 0, 'memory cache: entriesMax > 0')
  assert(sweepIntervalMs > 0, 'memory cache: sweepIntervalMs > 0')

  // A Map iterates in insertion order, so its first key is the oldest write.
  const entries = new Map<string, Entry>()
  // No entry expires before this; it lets a sweep that could free nothing be skipped.
  let earliestExpiresAtMs = Number.POSITIVE_INFINITY
  let nextSweepAtMs = clock.now() + sweepIntervalMs

  function sweepExpired(nowMs: number): void {
    if (nowMs < earliestExpiresAtMs) return
    let earliest = Number.POSITIVE_INFINITY
    for (const [key, entry] of entries) {
      if (entry.expiresAtMs <= nowMs) entries.delete(key)
      else earliest = Math.min(earliest, entry.expiresAtMs)
    }
    earliestExpiresAtMs = earliest
  }

  function makeRoom(nowMs: number): void {
    if (nowMs >= nextSweepAtMs) {
      sweepExpired(nowMs)
      nextSweepAtMs = nowMs + sweepIntervalMs
    }
    if (entries.size < entriesMax) return
    sweepExpired(nowMs)
    for (const oldestKey of entries.keys()) {
      if (entries.size < entriesMax) break
      entries.delete(oldestKey)
    }
  }

  function liveEntry(key: string, nowMs: number): Entry | undefined {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAtMs > nowMs) return entry
    entries.delete(key)
    return undefined
  }

  function store(key: string, value: string, ttlMs: number, nowMs: number): void {
    // Deleting first moves a rewritten key to the newest end of the eviction order.
    entries.delete(key)
    makeRoom(nowMs)
    const expiresAtMs = nowMs + ttlMs
    entries.set(key, { value, expiresAtMs })
    earliestExpiresAtMs = Math.min(earliestExpiresAtMs, expiresAtMs)
  }

  return {
    async get(key) {
      return liveEntry(key, clock.now())?.value
    },
    async set(key, value, ttlMs) {
      assertTtl(ttlMs)
      store(key, value, ttlMs, clock.now())
    },
    // No await between the check and the write, so concurrent callers cannot interleave.
    async setIfAbsent(key, value, ttlMs) {
      assertTtl(ttlMs)
      const nowMs = clock.now()
      if (liveEntry(key, nowMs) !== undefined) return false
      store(key, value, ttlMs, nowMs)
      return true
    },
    async delete(key) {
      entries.delete(key)
    },
    // Like setIfAbsent, the read and the write happen without an await in between.
    async incrementBy(key, amount, ttlMs) {
      assertTtl(ttlMs)
      assertIncrement(amount)
      const nowMs = clock.now()
      const current = liveEntry(key, nowMs)?.value ?? '0'
      assert(
        integerPattern.test(current),
        'memory cache: incrementBy on a value that is not an integer',
      )
      const total = BigInt(current) + amount
      assert(total <= int64Max, 'memory cache: incrementBy would overflow a signed 64-bit total')
      store(key, total.toString(), ttlMs, nowMs)
      return total
    },
  }
}

// Redis's INCRBY semantics: totals are signed 64-bit integers written in decimal.
const int64Max = 2n ** 63n - 1n
const integerPattern = /^-?(0|[1-9][0-9]{0,18})$/

function assertIncrement(amount: bigint): void {
  assert(amount >= 0n && amount <= int64Max, 'memory cache: incrementBy amount must be 0..2^63-1')
}

function assertTtl(ttlMs: number): void {
  assert(Number.isSafeInteger(ttlMs) && ttlMs > 0, 'memory cache: ttlMs must be an integer > 0')
}
