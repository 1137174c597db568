import type { Clock } from '../../application/ports/clock.ts'
import type { LockHandle, Locks } from '../../application/ports/lock.ts'
import { assert } from '../../domain/shared/assert.ts'

export type MemoryLocksOptions = {
  /** Locks held at once at most; reaching it with none expired is an error, not a refusal. */
  readonly locksMax?: number
}

type Holder = { readonly token: number; readonly expiresAtMs: number }

const locksMaxDefault = 100_000

// Mutual exclusion within this process only. Each acquisition gets its own token so that a
// handle whose lock expired and was taken over cannot release the new holder's lock.
export function makeMemoryLocks(clock: Clock, options: MemoryLocksOptions = {}): Locks {
  const locksMax = options.locksMax ?? locksMaxDefault
  assert(Number.isSafeInteger(locksMax) && locksMax > 0, 'memory locks: locksMax > 0')
  const holders = new Map<string, Holder>()
  let lastToken = 0

  function sweepExpired(nowMs: number): void {
    for (const [key, holder] of holders) {
      if (holder.expiresAtMs <= nowMs) holders.delete(key)
    }
  }

  function release(key: string, token: number): void {
    if (holders.get(key)?.token === token) holders.delete(key)
  }

  return {
    // No await before the write, so concurrent callers cannot both see the key free.
    async tryAcquire(key, ttlMs) {
      assert(Number.isSafeInteger(ttlMs) && ttlMs > 0, 'memory locks: ttlMs must be an integer > 0')
      const nowMs = clock.now()
      const current = holders.get(key)
      if (current !== undefined && current.expiresAtMs > nowMs) return undefined
      // Taking over an expired key does not grow the map; only a new key needs room.
      if (current === undefined && holders.size >= locksMax) {
        sweepExpired(nowMs)
        if (holders.size >= locksMax) {
          throw new Error(`memory locks: ${locksMax} locks held at once (locksMax), none expired`)
        }
      }
      lastToken += 1
      const token = lastToken
      holders.set(key, { token, expiresAtMs: nowMs + ttlMs })
      const handle: LockHandle = {
        release: async () => release(key, token),
      }
      return handle
    },
  }
}
