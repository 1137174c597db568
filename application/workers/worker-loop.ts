import { assert } from '../../domain/shared/assert.ts'
import type { Logger } from '../ports/logger.ts'
import type { WorkSignal, WorkTopic } from '../ports/work-signal.ts'

export type WorkerLoopDeps = {
  /** One unit of work; false when there was none to do. */
  readonly processNext: () => Promise<boolean>
  readonly signal: WorkSignal
  readonly logger: Logger
}

export type WorkerLoopOptions = {
  /** For the logs, e.g. 'webhook'. */
  readonly name: string
  readonly topic: WorkTopic
  /** Workers running processNext at the same time. */
  readonly concurrency: number
  /** Fallback poll: an idle worker looks again after this long even if nothing woke it. */
  readonly idleMs: number
  /** The wait after an error; it doubles with each error in a row up to errorBackoffMaxMs. */
  readonly errorBackoffMs?: number
  readonly errorBackoffMaxMs?: number
}

export type WorkerLoop = {
  /** Subscribes to the topic and starts the workers; they look for work at once. */
  start(): void
  /** Lets running work finish, then resolves; workers take no new work meanwhile. */
  stop(): Promise<void>
}

type Sleeper = { readonly wakeable: boolean; readonly wake: () => void }

const errorBackoffMsDefault = 100
const errorBackoffMaxMsDefault = 30_000

/**
 * Runs `processNext` in `concurrency` loops: on while there is work; when there is none, asleep
 * until the topic's work signal or `idleMs`, so idle workers cost nothing and new work starts at
 * once. A thrown error is logged and waited out with a growing backoff; it never ends the loop.
 */
export function makeWorkerLoop(deps: WorkerLoopDeps, options: WorkerLoopOptions): WorkerLoop {
  const { name, concurrency, idleMs } = options
  const errorBackoffMs = options.errorBackoffMs ?? errorBackoffMsDefault
  const errorBackoffMaxMs = options.errorBackoffMaxMs ?? errorBackoffMaxMsDefault
  assert(Number.isSafeInteger(concurrency) && concurrency >= 1, `${name} worker: concurrency >= 1`)
  assert(Number.isSafeInteger(idleMs) && idleMs >= 1, `${name} worker: idleMs >= 1`)
  assert(errorBackoffMs >= 1 && errorBackoffMaxMs >= errorBackoffMs, `${name} worker: backoff`)

  // Bumped by every wake-up, so a worker can tell one came while it was busy looking.
  let wakeCount = 0
  let stopping = false
  let running: Promise<void> | undefined
  let stopped: Promise<void> | undefined
  let unsubscribe: (() => void) | undefined
  const naps = makeNaps()

  async function work(lane: number): Promise<void> {
    let errorsInRow = 0
    while (!stopping) {
      const seen = wakeCount
      try {
        const worked = await deps.processNext()
        errorsInRow = 0
        // A wake-up during a fruitless look may be for work that look missed: look again.
        if (!worked && wakeCount === seen) await naps.sleep(idleMs, true)
      } catch (error) {
        errorsInRow += 1
        const delayMs = Math.min(errorBackoffMs * 2 ** (errorsInRow - 1), errorBackoffMaxMs)
        deps.logger.error({ worker: name, lane, errorsInRow, delayMs, err: error }, 'worker error')
        // Not wakeable: a wake-up must not turn a failing dependency into a busy loop.
        await naps.sleep(delayMs, false)
      }
    }
  }

  return {
    start() {
      assert(running === undefined, `${name} worker: started twice`)
      unsubscribe = deps.signal.subscribe(options.topic, () => {
        wakeCount += 1
        naps.wake()
      })
      running = Promise.all(Array.from({ length: concurrency }, (_, lane) => work(lane))).then(
        () => {},
      )
    },
    stop() {
      stopped ??= (async () => {
        stopping = true
        unsubscribe?.()
        naps.close()
        await running
      })()
      return stopped
    },
  }
}

/** The timers idle workers sleep on, so a wake-up or stop() can cut them short. */
function makeNaps() {
  const sleepers = new Set<Sleeper>()
  let closed = false
  const wake = (all: boolean) => {
    for (const sleeper of [...sleepers]) if (all || sleeper.wakeable) sleeper.wake()
  }
  return {
    /** Resolves after ms, or on wake() if wakeable, or on close(); at once once closed. */
    sleep(ms: number, wakeable: boolean): Promise<void> {
      if (closed) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const sleeper: Sleeper = {
          wakeable,
          wake() {
            clearTimeout(timer)
            sleepers.delete(sleeper)
            resolve()
          },
        }
        const timer = setTimeout(sleeper.wake, ms)
        // A sleeping worker alone does not keep the process alive.
        unrefTimer(timer)
        sleepers.add(sleeper)
      })
    },
    wake: () => wake(false),
    close() {
      closed = true
      wake(true)
    },
  }
}

// Node and Bun timers have unref(); Deno's setTimeout returns a number and has none.
function unrefTimer(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer) {
    const { unref } = timer as { unref: unknown }
    if (typeof unref === 'function') unref.call(timer)
  }
}
