import { describe, expect, it } from 'vitest'
import { makeFakeClock } from './fake-clock.ts'
import { makeMemoryCache } from './memory-cache.ts'

// The shared behaviour is in test/contracts/cache.contract.ts; these cover the memory bounds.
describe('memory cache bounds', () => {
  it('evicts the oldest write once entriesMax is reached', async () => {
    const cache = makeMemoryCache(makeFakeClock(), { entriesMax: 3 })
    await cache.set('a', '1', 60_000)
    await cache.set('b', '2', 60_000)
    await cache.set('c', '3', 60_000)
    await cache.set('a', '1 again', 60_000)
    await cache.set('d', '4', 60_000)
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('a')).toBe('1 again')
    expect(await cache.get('c')).toBe('3')
    expect(await cache.get('d')).toBe('4')
  })

  it('evicts expired entries before live ones', async () => {
    const clock = makeFakeClock()
    const cache = makeMemoryCache(clock, { entriesMax: 3 })
    await cache.set('old-live', '1', 60_000)
    await cache.set('expiring', '2', 10)
    await cache.set('young-live', '3', 60_000)
    clock.advance(10)
    await cache.set('new', '4', 60_000)
    expect(await cache.get('old-live')).toBe('1')
    expect(await cache.get('young-live')).toBe('3')
    expect(await cache.get('new')).toBe('4')
  })

  it('counts setIfAbsent writes against entriesMax too', async () => {
    const cache = makeMemoryCache(makeFakeClock(), { entriesMax: 2 })
    expect(await cache.setIfAbsent('a', '1', 60_000)).toBe(true)
    expect(await cache.setIfAbsent('b', '2', 60_000)).toBe(true)
    expect(await cache.setIfAbsent('c', '3', 60_000)).toBe(true)
    expect(await cache.get('a')).toBeUndefined()
    expect(await cache.setIfAbsent('a', '1', 60_000)).toBe(true)
  })

  it('treats a value as expired exactly at its ttl', async () => {
    const clock = makeFakeClock()
    const cache = makeMemoryCache(clock)
    await cache.set('a', '1', 100)
    clock.advance(99)
    expect(await cache.get('a')).toBe('1')
    clock.advance(1)
    expect(await cache.get('a')).toBeUndefined()
  })

  it('refuses a non-positive entriesMax', () => {
    expect(() => makeMemoryCache(makeFakeClock(), { entriesMax: 0 })).toThrow(/entriesMax/)
  })
})
