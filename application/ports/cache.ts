// A shared key-value store with expiry: in process for one node, Redis across replicas.
export interface Cache {
  get(key: string): Promise<string | undefined>
  /** Stores value under key for ttlMs milliseconds (ttlMs > 0). */
  set(key: string, value: string, ttlMs: number): Promise<void>
  /** Stores only when key is absent; true when it was stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>
  delete(key: string): Promise<void>
}
