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
 *
 * A wake-up wakes one sleeping worker, not all: one signal is one piece of work (waking every
 * worker for it made all but one look in vain, ten looks per webhook with eight workers). A
 * worker that found work wakes one more, so a backlog (after a restart, or wake-ups lost) still
 * spreads over every worker. A wake-up that found no one asleep is not lost: a worker whose look
 * it came during looks again if that look found nothing.
 */
export function makeWorkerLoop(deps: WorkerLoopDeps, options: WorkerLoopOptions): WorkerLoop {
  const { name, concurrency, idleMs } = options
  const errorBackoffMs = options.errorBackoffMs ?? errorBackoffMsDefault
  const errorBackoffMaxMs = options.errorBackoffMaxMs ?? errorBackoffMaxMsDefault
  assert(Number.isSafeInteger(concurrency) && concurrency >= 1, `${name} worker: concurrency >= 1`)
  assert(Number.isSafeInteger(idleMs) && idleMs >= 1, `${name} worker: idleMs >= 1`)
  assert(errorBackoffMs >= 1 && errorBackoffMaxMs >= errorBackoffMs, `${name} worker: backoff`)

  // Bumped by every wake-up that found no worker asleep, so a worker can tell one came while it
  // was busy looking.
  let missedWakes = 0
  let stopping = false
  let running: Promise<void> | undefined
  let stopped: Promise<void> | undefined
  let unsubscribe: (() => void) | undefined
  const naps = makeNaps()

  async function work(lane: number): Promise<void> {
    let errorsInRow = 0
    while (!stopping) {
      const seen = missedWakes
      try {
        const worked = await deps.processNext()
        errorsInRow = 0
        // There may be more: another worker looks too.
        if (worked) naps.wakeOne()
        // A wake-up during a fruitless look may be for work that look missed: look again.
        else if (missedWakes === seen) await naps.sleep(idleMs, true)
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
        if (!naps.wakeOne()) missedWakes += 1
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
  // In the order they fell asleep: a wake-up goes to the one asleep longest.
  const sleepers = new Set<Sleeper>()
  let closed = false
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
    /** Wakes the wakeable worker asleep longest; false when none is asleep. */
    wakeOne(): boolean {
      for (const sleeper of sleepers) {
        if (sleeper.wakeable) {
          sleeper.wake()
          return true
        }
      }
      return false
    },
    close() {
      closed = true
      for (const sleeper of [...sleepers]) sleeper.wake()
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
