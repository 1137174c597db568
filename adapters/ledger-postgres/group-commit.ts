// Group commit: requests from many callers are gathered and handed to `flush` together, and
// each caller gets its own outcome back. A group leaves when it is full (sizeMax), or windowMs
// after its first request, but only while fewer than inFlightMax groups are out; otherwise it
// keeps gathering, so the busier the database, the bigger (and cheaper per request) the groups.
import { assert } from '../../domain/shared/assert.ts'

export type GroupCommitOptions = {
  /** How long the first request of a group waits for company; 0 sends at the next turn. */
  readonly windowMs: number
  /** Requests per group at most. */
  readonly sizeMax: number
  /** Groups being flushed at once at most. */
  readonly inFlightMax: number
}

/**
 * One outcome per item, in order: a rejected one fails that request alone; a throw fails every
 * request of the group.
 */
export type Flush<I, O> = (items: readonly I[]) => Promise<readonly PromiseSettledResult<O>[]>

export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>
  /** Sends what is waiting, waits for every group out, then refuses new requests. */
  close(): Promise<void>
}

type Waiting<I, O> = {
  readonly item: I
  readonly resolve: (outcome: O) => void
  readonly reject: (error: unknown) => void
}

export function makeGroupCommit<I, O>(
  flush: Flush<I, O>,
  options: GroupCommitOptions,
): GroupCommit<I, O> {
  const { windowMs, sizeMax, inFlightMax } = options
  assert(Number.isFinite(windowMs) && windowMs >= 0, 'group commit: windowMs >= 0')
  assert(Number.isSafeInteger(sizeMax) && sizeMax > 0, 'group commit: sizeMax > 0')
  assert(Number.isSafeInteger(inFlightMax) && inFlightMax > 0, 'group commit: inFlightMax > 0')
  let waiting: Waiting<I, O>[] = []
  let inFlight = 0
  let window: { cancel(): void } | undefined
  let closing: Promise<void> | undefined
  let drained: (() => void) | undefined

  async function send(): Promise<void> {
    const group = waiting.slice(0, sizeMax)
    waiting = waiting.slice(group.length)
    inFlight += 1
    try {
      const outcomes = await flush(group.map((entry) => entry.item))
      assert(outcomes.length === group.length, 'group commit: one outcome per request')
      group.forEach((entry, i) => {
        const outcome = outcomes[i] as PromiseSettledResult<O>
        if (outcome.status === 'fulfilled') entry.resolve(outcome.value)
        else entry.reject(outcome.reason)
      })
    } catch (error) {
      // Settling a promise twice is a no-op, so a failed assertion above still reaches everyone.
      group.forEach((entry) => entry.reject(error))
    } finally {
      inFlight -= 1
      // Whatever gathered meanwhile has waited long enough: it goes now.
      schedule(true)
      if (inFlight === 0 && waiting.length === 0) drained?.()
    }
  }

  function schedule(force: boolean): void {
    while (waiting.length > 0 && inFlight < inFlightMax) {
      if (!force && waiting.length < sizeMax && closing === undefined) {
        window ??= openWindow()
        return
      }
      window?.cancel()
      window = undefined
      void send()
    }
  }

  function openWindow(): { cancel(): void } {
    const fire = () => {
      window = undefined
      schedule(true)
    }
    if (windowMs === 0) {
      const immediate = setImmediate(fire)
      return { cancel: () => clearImmediate(immediate) }
    }
    const timer = setTimeout(fire, windowMs)
    return { cancel: () => clearTimeout(timer) }
  }

  async function drain(): Promise<void> {
    schedule(true)
    if (inFlight === 0 && waiting.length === 0) return
    await new Promise<void>((resolve) => (drained = resolve))
  }

  return {
    submit(item) {
      assert(closing === undefined, 'group commit: submit after close')
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject })
        schedule(false)
      })
    },
    close() {
      closing ??= drain()
      return closing
    },
  }
}
