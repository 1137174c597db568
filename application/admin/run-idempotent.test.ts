import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryCache } from '../../adapters/memory/memory-cache.ts'
import { makeMemoryLocks } from '../../adapters/memory/memory-locks.ts'
import { makeRunIdempotent, type IdempotentCall } from './run-idempotent.ts'

const setup = () => {
  const clock = makeFakeClock()
  const runIdempotent = makeRunIdempotent({
    cache: makeMemoryCache(clock),
    locks: makeMemoryLocks(clock),
    keyTtlMs: 60_000,
    lockTtlMs: 2_000,
  })
  return { clock, runIdempotent }
}

const counting = (key: string, fingerprint: string, counter: { runs: number }) =>
  ({
    key,
    fingerprint,
    run: async () => {
      counter.runs += 1
      return { n: counter.runs }
    },
    encode: (value) => JSON.stringify(value),
    decode: (stored) => JSON.parse(stored) as { n: number },
  }) satisfies IdempotentCall<{ n: number }>

describe('runIdempotent', () => {
  it('replays the stored result for the same key and arguments', async () => {
    const { runIdempotent } = setup()
    const counter = { runs: 0 }
    expect(await runIdempotent(counting('k1', 'a', counter))).toEqual({ ok: true, value: { n: 1 } })
    expect(await runIdempotent(counting('k1', 'a', counter))).toEqual({ ok: true, value: { n: 1 } })
    expect(counter.runs).toBe(1)
  })

  it('refuses the same key with different arguments', async () => {
    const { runIdempotent } = setup()
    const counter = { runs: 0 }
    await runIdempotent(counting('k1', 'a', counter))
    expect(await runIdempotent(counting('k1', 'b', counter))).toEqual({
      ok: false,
      error: 'idempotency_key_reused',
    })
    expect(counter.runs).toBe(1)
  })

  it('refuses a concurrent duplicate instead of running it twice', async () => {
    const { runIdempotent } = setup()
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: IdempotentCall<string> = {
      key: 'k2',
      fingerprint: 'a',
      run: async () => {
        await gate
        return 'done'
      },
      encode: (value) => value,
      decode: (stored) => stored,
    }
    const first = runIdempotent(slow)
    await Promise.resolve()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(await runIdempotent(slow)).toEqual({
      ok: false,
      error: 'idempotency_concurrent_request',
    })
    release()
    expect(await first).toEqual({ ok: true, value: 'done' })
    expect(await runIdempotent(slow)).toEqual({ ok: true, value: 'done' })
  })

  it('stores nothing when the call throws, so it can be retried', async () => {
    const { runIdempotent } = setup()
    let attempts = 0
    const flaky: IdempotentCall<number> = {
      key: 'k3',
      fingerprint: 'a',
      run: async () => {
        attempts += 1
        if (attempts === 1) throw new Error('database down')
        return attempts
      },
      encode: String,
      decode: Number,
    }
    await expect(runIdempotent(flaky)).rejects.toThrow('database down')
    expect(await runIdempotent(flaky)).toEqual({ ok: true, value: 2 })
  })

  it('forgets a key after its TTL', async () => {
    const { runIdempotent, clock } = setup()
    const counter = { runs: 0 }
    await runIdempotent(counting('k4', 'a', counter))
    clock.advance(60_001)
    expect(await runIdempotent(counting('k4', 'b', counter))).toEqual({ ok: true, value: { n: 2 } })
  })
})
