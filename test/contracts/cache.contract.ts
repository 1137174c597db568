import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Cache } from '../../application/ports/cache.ts'

export type CacheSubject = {
  readonly cache: Cache
  /** Moves the adapter's clock; without it the suite waits in real time. */
  readonly advance?: (ms: number) => Promise<void>
  close(): Promise<void>
}

// Short enough that real-time waits against Redis keep the suite fast, long enough that a value
// read right after it was written has not expired yet.
const shortTtlMs = 50
const expiryWaitMs = 120
const longTtlMs = 60_000
const concurrentCallers = 50
const int64Max = 2n ** 63n - 1n

// Every Cache adapter passes this suite; make() returns a fresh, empty cache for each test.
export function runCacheContract(name: string, make: () => Promise<CacheSubject>): void {
  describe(name, () => {
    let subject: CacheSubject
    const elapse = async (ms: number) => {
      if (subject.advance === undefined) await sleep(ms)
      else await subject.advance(ms)
    }

    beforeEach(async () => {
      subject = await make()
    })
    afterEach(async () => {
      await subject.close()
    })

    it('returns undefined for a key never set', async () => {
      expect(await subject.cache.get('missing')).toBeUndefined()
    })

    it('returns what was set, per key', async () => {
      await subject.cache.set('a', 'one', longTtlMs)
      await subject.cache.set('b', 'two', longTtlMs)
      expect(await subject.cache.get('a')).toBe('one')
      expect(await subject.cache.get('b')).toBe('two')
    })

    it('overwrites a value on set', async () => {
      await subject.cache.set('a', 'one', longTtlMs)
      await subject.cache.set('a', 'two', longTtlMs)
      expect(await subject.cache.get('a')).toBe('two')
    })

    it('keeps an empty string distinct from a missing key', async () => {
      await subject.cache.set('empty', '', longTtlMs)
      expect(await subject.cache.get('empty')).toBe('')
    })

    it('stores unicode keys and values unchanged', async () => {
      const value = 'héllo wörld, 世界, emoji 🚀👩🏽‍💻, rtl עברית, nul \u0000 end'
      await subject.cache.set('ключ-🔑', value, longTtlMs)
      expect(await subject.cache.get('ключ-🔑')).toBe(value)
      expect(await subject.cache.get('ключ-')).toBeUndefined()
    })

    it('deletes a key, and deleting a missing key is a no-op', async () => {
      await subject.cache.set('a', 'one', longTtlMs)
      await subject.cache.set('b', 'two', longTtlMs)
      await subject.cache.delete('a')
      await subject.cache.delete('never-set')
      expect(await subject.cache.get('a')).toBeUndefined()
      expect(await subject.cache.get('b')).toBe('two')
    })

    it('expires a value after its ttl, and a new set renews it', async () => {
      await subject.cache.set('short', 'gone soon', shortTtlMs)
      await subject.cache.set('renewed', 'first', shortTtlMs)
      await subject.cache.set('renewed', 'second', longTtlMs)
      await subject.cache.set('long', 'stays', longTtlMs)
      expect(await subject.cache.get('short')).toBe('gone soon')
      await elapse(expiryWaitMs)
      expect(await subject.cache.get('short')).toBeUndefined()
      expect(await subject.cache.get('renewed')).toBe('second')
      expect(await subject.cache.get('long')).toBe('stays')
    })

    it('setIfAbsent stores only when the key is absent', async () => {
      expect(await subject.cache.setIfAbsent('k', 'first', longTtlMs)).toBe(true)
      expect(await subject.cache.setIfAbsent('k', 'second', longTtlMs)).toBe(false)
      expect(await subject.cache.get('k')).toBe('first')
    })

    it('setIfAbsent stores again once the previous value expired or was deleted', async () => {
      expect(await subject.cache.setIfAbsent('expiring', 'first', shortTtlMs)).toBe(true)
      expect(await subject.cache.setIfAbsent('deleted', 'first', longTtlMs)).toBe(true)
      await subject.cache.delete('deleted')
      await elapse(expiryWaitMs)
      expect(await subject.cache.setIfAbsent('expiring', 'second', longTtlMs)).toBe(true)
      expect(await subject.cache.setIfAbsent('deleted', 'second', longTtlMs)).toBe(true)
      expect(await subject.cache.get('expiring')).toBe('second')
      expect(await subject.cache.get('deleted')).toBe('second')
    })

    it(`setIfAbsent lets exactly one of ${concurrentCallers} concurrent callers win`, async () => {
      const values = Array.from({ length: concurrentCallers }, (_, i) => `caller-${i}`)
      const outcomes = await Promise.all(
        values.map((value) => subject.cache.setIfAbsent('contended', value, longTtlMs)),
      )
      const winners = values.filter((_, i) => outcomes[i] === true)
      expect(winners).toHaveLength(1)
      expect(await subject.cache.get('contended')).toBe(winners[0])
    })

    it('incrementBy starts an absent key at zero and adds, per key', async () => {
      expect(await subject.cache.incrementBy('n', 5n, longTtlMs)).toBe(5n)
      expect(await subject.cache.incrementBy('n', 7n, longTtlMs)).toBe(12n)
      expect(await subject.cache.incrementBy('zero', 0n, longTtlMs)).toBe(0n)
      expect(await subject.cache.incrementBy('other', 1n, longTtlMs)).toBe(1n)
      expect(await subject.cache.get('n')).toBe('12')
      expect(await subject.cache.get('zero')).toBe('0')
    })

    it('incrementBy adds to an integer stored by set', async () => {
      await subject.cache.set('n', '40', longTtlMs)
      expect(await subject.cache.incrementBy('n', 2n, longTtlMs)).toBe(42n)
    })

    it('incrementBy keeps totals past 2^53 exact, up to 2^63 - 1', async () => {
      const big = 2n ** 53n + 1n
      expect(await subject.cache.incrementBy('big', big, longTtlMs)).toBe(big)
      expect(await subject.cache.incrementBy('big', 2n, longTtlMs)).toBe(big + 2n)
      expect(await subject.cache.incrementBy('max', int64Max - 1n, longTtlMs)).toBe(int64Max - 1n)
      expect(await subject.cache.incrementBy('max', 1n, longTtlMs)).toBe(int64Max)
    })

    it('incrementBy refuses a total past 2^63 - 1 and keeps the old one', async () => {
      await subject.cache.incrementBy('max', int64Max, longTtlMs)
      await expect(subject.cache.incrementBy('max', 1n, longTtlMs)).rejects.toThrow()
      expect(await subject.cache.get('max')).toBe(int64Max.toString())
    })

    it('incrementBy refuses an amount outside 0..2^63 - 1', async () => {
      await expect(subject.cache.incrementBy('n', -1n, longTtlMs)).rejects.toThrow(/amount/)
      await expect(subject.cache.incrementBy('n', int64Max + 1n, longTtlMs)).rejects.toThrow(
        /amount/,
      )
      expect(await subject.cache.get('n')).toBeUndefined()
    })

    it('incrementBy refuses a value that is not an integer and leaves it alone', async () => {
      await subject.cache.set('text', 'hello', longTtlMs)
      await expect(subject.cache.incrementBy('text', 1n, longTtlMs)).rejects.toThrow()
      expect(await subject.cache.get('text')).toBe('hello')
    })

    it('incrementBy refuses a ttl that is not a positive integer', async () => {
      await expect(subject.cache.incrementBy('n', 1n, 0)).rejects.toThrow(/ttlMs/)
      await expect(subject.cache.incrementBy('n', 1n, 2.5)).rejects.toThrow(/ttlMs/)
      expect(await subject.cache.get('n')).toBeUndefined()
    })

    it('incrementBy expires the total after its ttl, and each increment renews it', async () => {
      await subject.cache.incrementBy('short', 3n, shortTtlMs)
      await subject.cache.incrementBy('renewed', 3n, shortTtlMs)
      await subject.cache.incrementBy('renewed', 4n, longTtlMs)
      await elapse(expiryWaitMs)
      expect(await subject.cache.get('short')).toBeUndefined()
      expect(await subject.cache.incrementBy('short', 1n, longTtlMs)).toBe(1n)
      expect(await subject.cache.get('renewed')).toBe('7')
    })

    it(`incrementBy counts each of ${concurrentCallers} concurrent callers exactly once`, async () => {
      const amounts = Array.from({ length: concurrentCallers }, (_, i) => BigInt(i + 1))
      const totals = await Promise.all(
        amounts.map((amount) => subject.cache.incrementBy('contended', amount, longTtlMs)),
      )
      const sum = amounts.reduce((a, b) => a + b, 0n)
      expect(new Set(totals).size).toBe(concurrentCallers)
      expect(totals.reduce((a, b) => (a > b ? a : b))).toBe(sum)
      expect(await subject.cache.get('contended')).toBe(sum.toString())
    })

    it('refuses a ttl that is not a positive integer', async () => {
      await expect(subject.cache.set('a', 'v', 0)).rejects.toThrow(/ttlMs/)
      await expect(subject.cache.set('a', 'v', -5)).rejects.toThrow(/ttlMs/)
      await expect(subject.cache.setIfAbsent('a', 'v', 1.5)).rejects.toThrow(/ttlMs/)
      expect(await subject.cache.get('a')).toBeUndefined()
    })
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
