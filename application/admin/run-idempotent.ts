import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { Cache } from '../ports/cache.ts'
import type { Locks } from '../ports/lock.ts'

export type IdempotencyError = 'idempotency_key_reused' | 'idempotency_concurrent_request'

export type IdempotentCall<T> = {
  readonly key: string
  /** Identifies the operation and its arguments; the same key with another one is refused. */
  readonly fingerprint: string
  readonly run: () => Promise<T>
  readonly encode: (value: T) => string
  readonly decode: (stored: string) => T
}

export type RunIdempotent = <T>(call: IdempotentCall<T>) => Promise<Result<T, IdempotencyError>>

export type RunIdempotentDeps = {
  readonly cache: Cache
  readonly locks: Locks
  readonly keyTtlMs: number
  readonly lockTtlMs: number
}

type Stored = { readonly fingerprint: string; readonly value: string }

/**
 * Same key and arguments: the stored result, no second effect. A duplicate arriving while the
 * first is running is refused rather than run twice. A call that throws stores nothing, so it
 * can be retried.
 */
export const makeRunIdempotent =
  (deps: RunIdempotentDeps): RunIdempotent =>
  async <T>(call: IdempotentCall<T>) => {
    const cacheKey = `idempotency:${call.key}`
    const stored = await readStored(deps.cache, cacheKey)
    if (stored) return replay(stored, call)
    const lock = await deps.locks.tryAcquire(`idempotency-lock:${call.key}`, deps.lockTtlMs)
    if (!lock) return err('idempotency_concurrent_request')
    try {
      const finished = await readStored(deps.cache, cacheKey)
      if (finished) return replay(finished, call)
      const value = await call.run()
      const record: Stored = { fingerprint: call.fingerprint, value: call.encode(value) }
      await deps.cache.set(cacheKey, JSON.stringify(record), deps.keyTtlMs)
      return ok(value)
    } finally {
      await lock.release()
    }
  }

const replay = <T>(stored: Stored, call: IdempotentCall<T>): Result<T, IdempotencyError> =>
  stored.fingerprint === call.fingerprint
    ? ok(call.decode(stored.value))
    : err('idempotency_key_reused')

async function readStored(cache: Cache, key: string): Promise<Stored | undefined> {
  const raw = await cache.get(key)
  return raw === undefined ? undefined : (JSON.parse(raw) as Stored)
}
