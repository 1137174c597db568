import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LockHandle, Locks } from '../../application/ports/lock.ts'
import { assert } from '../../domain/shared/assert.ts'

export type LocksSubject = {
  readonly locks: Locks
  /** Moves the adapter's clock; without it the suite waits in real time. */
  readonly advance?: (ms: number) => Promise<void>
  close(): Promise<void>
}

// Short enough that real-time waits against Redis keep the suite fast.
const shortTtlMs = 50
const expiryWaitMs = 120
const longTtlMs = 60_000
const concurrentCallers = 50

// Every Locks adapter passes this suite; make() returns fresh locks with none held.
export function runLockContract(name: string, make: () => Promise<LocksSubject>): void {
  describe(name, () => {
    let subject: LocksSubject
    const elapse = async (ms: number) => {
      if (subject.advance === undefined) await sleep(ms)
      else await subject.advance(ms)
    }
    const acquire = async (key: string, ttlMs: number): Promise<LockHandle> => {
      const handle = await subject.locks.tryAcquire(key, ttlMs)
      assert(handle !== undefined, `lock ${key} should be free`)
      return handle
    }

    beforeEach(async () => {
      subject = await make()
    })
    afterEach(async () => {
      await subject.close()
    })

    it('grants a free lock and refuses it to others while held', async () => {
      await acquire('job', longTtlMs)
      expect(await subject.locks.tryAcquire('job', longTtlMs)).toBeUndefined()
      await acquire('other-job', longTtlMs)
    })

    it(`grants exactly one of ${concurrentCallers} concurrent tryAcquire calls`, async () => {
      const attempts = await Promise.all(
        Array.from({ length: concurrentCallers }, () =>
          subject.locks.tryAcquire('contended', longTtlMs),
        ),
      )
      expect(attempts.filter((handle) => handle !== undefined)).toHaveLength(1)
    })

    it('can be acquired again after release; a second release is a no-op', async () => {
      const first = await acquire('job', longTtlMs)
      await first.release()
      const second = await acquire('job', longTtlMs)
      await first.release()
      expect(await subject.locks.tryAcquire('job', longTtlMs)).toBeUndefined()
      await second.release()
      await acquire('job', longTtlMs)
    })

    it('expires after its ttl, and not before', async () => {
      await acquire('short', shortTtlMs)
      await acquire('long', longTtlMs)
      await elapse(expiryWaitMs)
      await acquire('short', longTtlMs)
      expect(await subject.locks.tryAcquire('long', longTtlMs)).toBeUndefined()
    })

    it('a stale handle does not release the lock of the holder that took over', async () => {
      const stale = await acquire('job', shortTtlMs)
      await elapse(expiryWaitMs)
      const current = await acquire('job', longTtlMs)
      await stale.release()
      expect(await subject.locks.tryAcquire('job', longTtlMs)).toBeUndefined()
      await current.release()
      await acquire('job', longTtlMs)
    })

    it('refuses a ttl that is not a positive integer', async () => {
      await expect(subject.locks.tryAcquire('job', 0)).rejects.toThrow(/ttlMs/)
      await expect(subject.locks.tryAcquire('job', 2.5)).rejects.toThrow(/ttlMs/)
      await acquire('job', longTtlMs)
    })
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
