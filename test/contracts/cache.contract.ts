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
