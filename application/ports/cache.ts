// A shared key-value store with expiry: in process for one node, Redis across replicas.
export interface Cache {
  get(key: string): Promise<string | undefined>
  /** Stores value under key for ttlMs milliseconds (ttlMs > 0). */
  set(key: string, value: string, ttlMs: number): Promise<void>
  /** Stores only when key is absent; true when it was stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>
  delete(key: string): Promise<void>
  /**
   * Adds amount (0 <= amount <= 2^63 - 1) to the integer stored under key (absent counts as 0)
   * and returns the new total, in one atomic step; the key then expires ttlMs from now. Totals
   * are signed 64-bit, as in Redis: a total past 2^63 - 1, or a value that is not an integer,
   * is refused with an error and left unchanged.
   */
  incrementBy(key: string, amount: bigint, ttlMs: number): Promise<bigint>
}
