import { describe, expect, it } from 'vitest'
import { makeFakeClock } from './fake-clock.ts'
import { makeMemoryLocks } from './memory-locks.ts'

// The shared behaviour is in test/contracts/lock.contract.ts; these cover the memory bound.
describe('memory locks bound', () => {
  it('reuses the room of expired locks once locksMax is reached', async () => {
    const clock = makeFakeClock()
    const locks = makeMemoryLocks(clock, { locksMax: 2 })
    expect(await locks.tryAcquire('a', 10)).toBeDefined()
    expect(await locks.tryAcquire('b', 60_000)).toBeDefined()
    clock.advance(10)
    expect(await locks.tryAcquire('c', 60_000)).toBeDefined()
    expect(await locks.tryAcquire('b', 60_000)).toBeUndefined()
  })

  it('fails loudly rather than refusing when locksMax live locks are held', async () => {
    const locks = makeMemoryLocks(makeFakeClock(), { locksMax: 1 })
    const held = await locks.tryAcquire('a', 60_000)
    await expect(locks.tryAcquire('b', 60_000)).rejects.toThrow(/locksMax/)
    await held?.release()
    expect(await locks.tryAcquire('b', 60_000)).toBeDefined()
  })
})
