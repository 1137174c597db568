import { describe, expect, it } from 'vitest'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import type { Logger, LogFields } from '../ports/logger.ts'
import { makeWorkerLoop, type WorkerLoopOptions } from './worker-loop.ts'

type Logged = { readonly level: string; readonly fields: LogFields; readonly message: string }

function recordingLogger(): Logger & { readonly logged: Logged[] } {
  const logged: Logged[] = []
  const log = (level: string) => (fields: LogFields, message: string) => {
    logged.push({ level, fields, message })
  }
  return { logged, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

/** A queue of jobs behind processNext, counting every look. */
function jobs() {
  const queue: string[] = []
  const done: string[] = []
  let looks = 0
  return {
    queue,
    done,
    looks: () => looks,
    processNext: async () => {
      looks += 1
      const job = queue.shift()
      if (job === undefined) return false
      await new Promise((resolve) => setImmediate(resolve))
      done.push(job)
      return true
    },
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(condition: () => boolean, timeoutMs = 2000): Promise<number> {
  const startedMs = performance.now()
  while (!condition()) {
    if (performance.now() - startedMs > timeoutMs) throw new Error('condition not met in time')
    await delay(2)
  }
  return performance.now() - startedMs
}

const options = (extra: Partial<WorkerLoopOptions> = {}): WorkerLoopOptions => ({
  name: 'test',
  topic: 'test',
  concurrency: 2,
  idleMs: 60_000,
  ...extra,
})

describe('worker loop', () => {
  it('works through what is there at start, then sleeps without looking again', async () => {
    const work = jobs()
    work.queue.push('a', 'b', 'c')
    const signal = makeMemoryWorkSignal()
    const loop = makeWorkerLoop({ ...work, signal, logger: recordingLogger() }, options())
    loop.start()
    await until(() => work.done.length === 3)
    await delay(50)
    // Three jobs, one empty look per worker, and one by the worker the last job woke (there might
    // have been more); nothing after that while idle.
    expect(work.looks()).toBe(6)
    await loop.stop()
  })

  it('wakes on a notify at once instead of waiting out idleMs', async () => {
    const work = jobs()
    const signal = makeMemoryWorkSignal()
    const loop = makeWorkerLoop({ ...work, signal, logger: recordingLogger() }, options())
    loop.start()
    await delay(20)
    work.queue.push('x', 'y')
    signal.notify('other topic')
    await delay(20)
    expect(work.done).toEqual([])
    signal.notify('test')
    const elapsedMs = await until(() => work.done.length === 2)
    expect(elapsedMs).toBeLessThan(500)
    await loop.stop()
  })

  it('wakes one sleeping worker per wake-up, not all of them', async () => {
    const work = jobs()
    const signal = makeMemoryWorkSignal()
    const loop = makeWorkerLoop(
      { ...work, signal, logger: recordingLogger() },
      options({ concurrency: 4 }),
    )
    loop.start()
    await until(() => work.looks() === 4)
    await delay(20)
    work.queue.push('one')
    signal.notify('test')
    await until(() => work.done.length === 1)
    await delay(50)
    // The woken worker's job, the one it woke in turn (there might have been more), and its own
    // look once done: three looks, where waking all four workers made five.
    expect(work.looks() - 4).toBe(3)
    await loop.stop()
  })

  it('spreads a backlog over every worker from a single wake-up', async () => {
    const signal = makeMemoryWorkSignal()
    const backlog = Array.from({ length: 12 }, (_, i) => i)
    let running = 0
    let runningMax = 0
    const processNext = async () => {
      if (backlog.shift() === undefined) return false
      running += 1
      runningMax = Math.max(runningMax, running)
      await delay(10)
      running -= 1
      return true
    }
    const empty = [...backlog.splice(0)]
    const loop = makeWorkerLoop(
      { processNext, signal, logger: recordingLogger() },
      options({ concurrency: 4 }),
    )
    loop.start()
    await delay(20)
    backlog.push(...empty)
    signal.notify('test')
    await until(() => backlog.length === 0 && running === 0)
    expect(runningMax).toBe(4)
    await loop.stop()
  })

  it('does not miss a wake-up that comes while it is looking', async () => {
    const signal = makeMemoryWorkSignal()
    const queue: string[] = []
    let looks = 0
    const processNext = async () => {
      looks += 1
      // The first look finds nothing, but work arrives (and is signalled) before it returns.
      if (looks === 1) {
        queue.push('late')
        signal.notify('test')
        return false
      }
      return queue.shift() !== undefined
    }
    const loop = makeWorkerLoop(
      { processNext, signal, logger: recordingLogger() },
      options({ concurrency: 1 }),
    )
    loop.start()
    await until(() => queue.length === 0)
    await loop.stop()
  })

  it('polls after idleMs when nothing wakes it', async () => {
    const work = jobs()
    const signal = makeMemoryWorkSignal()
    const loop = makeWorkerLoop(
      { ...work, signal, logger: recordingLogger() },
      options({ concurrency: 1, idleMs: 100 }),
    )
    loop.start()
    await delay(10)
    const startedMs = performance.now()
    work.queue.push('quiet')
    await until(() => work.done.length === 1)
    const elapsedMs = performance.now() - startedMs
    expect(elapsedMs).toBeGreaterThanOrEqual(50)
    expect(elapsedMs).toBeLessThan(1000)
    await loop.stop()
  })

  it('stop() waits for work in flight and starts no more', async () => {
    const signal = makeMemoryWorkSignal()
    let release: () => void = () => {}
    let started = 0
    let finished = 0
    const processNext = async () => {
      started += 1
      await new Promise<void>((resolve) => (release = resolve))
      finished += 1
      return true
    }
    const loop = makeWorkerLoop(
      { processNext, signal, logger: recordingLogger() },
      options({ concurrency: 1 }),
    )
    loop.start()
    await until(() => started === 1)
    let stopped = false
    const stopping = loop.stop().then(() => (stopped = true))
    await delay(30)
    expect(stopped).toBe(false)
    release()
    await stopping
    expect({ started, finished }).toEqual({ started: 1, finished: 1 })
    expect(loop.stop()).toBe(loop.stop())
  })

  it('stops at once when idle, even with a long idleMs', async () => {
    const work = jobs()
    const signal = makeMemoryWorkSignal()
    const loop = makeWorkerLoop({ ...work, signal, logger: recordingLogger() }, options())
    loop.start()
    await delay(10)
    const startedMs = performance.now()
    await loop.stop()
    expect(performance.now() - startedMs).toBeLessThan(100)
    // Unsubscribed: a late notify starts nothing.
    work.queue.push('after stop')
    signal.notify('test')
    await delay(10)
    expect(work.done).toEqual([])
  })

  it('logs errors and backs off, doubling, without crashing or spinning', async () => {
    const signal = makeMemoryWorkSignal()
    const logger = recordingLogger()
    let calls = 0
    const processNext = async () => {
      calls += 1
      if (calls <= 3) throw new Error(`boom ${calls}`)
      return false
    }
    const loop = makeWorkerLoop(
      { processNext, signal, logger },
      options({ concurrency: 1, errorBackoffMs: 20, errorBackoffMaxMs: 30 }),
    )
    loop.start()
    // Wake-ups do not cut a backoff short.
    for (let i = 0; i < 5; i += 1) signal.notify('test')
    const elapsedMs = await until(() => calls === 4)
    expect(elapsedMs).toBeGreaterThanOrEqual(20 + 30 + 30 - 10)
    expect(logger.logged.map((entry) => entry.fields['delayMs'])).toEqual([20, 30, 30])
    expect(logger.logged.every((entry) => entry.level === 'error')).toBe(true)
    await delay(50)
    expect(calls).toBe(4)
    await loop.stop()
  })
})
