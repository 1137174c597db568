// Mutual exclusion across every process sharing the store. A lock expires after ttlMs so a
// crashed holder cannot block others forever.
export interface LockHandle {
  /** Releases the lock if this handle still holds it; a no-op after expiry or takeover. */
  release(): Promise<void>
}

export interface Locks {
  /** Acquires key at once or returns undefined when another holder has it. */
  tryAcquire(key: string, ttlMs: number): Promise<LockHandle | undefined>
}
