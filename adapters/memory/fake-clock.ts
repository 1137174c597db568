import type { Clock } from '../../application/ports/clock.ts'
import { assert } from '../../domain/shared/assert.ts'

export type FakeClock = Clock & {
  /** Moves time forward by ms (ms >= 0). */
  advance(ms: number): void
  /** Jumps to an absolute time; may go backwards to test clock skew. */
  set(ms: number): void
}

// A fixed, round start keeps test output readable and independent of the wall clock.
const defaultStartMs = Date.UTC(2025, 0, 1)

export function makeFakeClock(startMs: number = defaultStartMs): FakeClock {
  assert(Number.isFinite(startMs), 'fake clock: startMs must be finite')
  let nowMs = startMs
  return {
    now: () => nowMs,
    advance(ms) {
      assert(Number.isFinite(ms) && ms >= 0, 'fake clock: advance(ms) needs ms >= 0')
      nowMs += ms
    },
    set(ms) {
      assert(Number.isFinite(ms), 'fake clock: set(ms) needs a finite ms')
      nowMs = ms
    },
  }
}
