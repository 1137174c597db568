import { describe, expect, it } from 'vitest'
import { makeGroupCommit, type Flush } from './group-commit.ts'

type Call = { readonly items: readonly number[]; finish(): void }

/** A flush that records its groups and answers each item with item * 10 when told to. */
function recordingFlush(options: { readonly autoFinish: boolean }) {
  const calls: Call[] = []
  const flush: Flush<number, number> = (items) =>
    new Promise((resolve) => {
      const finish = () =>
        resolve(items.map((item) => ({ status: 'fulfilled' as const, value: item * 10 })))
      calls.push({ items, finish })
      if (options.autoFinish) finish()
    })
  return { calls, flush, groups: () => calls.map((call) => call.items) }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('group commit', () => {
  it('sends requests made within the window as one group, each caller its own outcome', async () => {
    const { flush, groups } = recordingFlush({ autoFinish: true })
    const commit = makeGroupCommit(flush, { windowMs: 30, sizeMax: 100, inFlightMax: 1 })
    const first = commit.submit(1)
    await sleep(5)
    const rest = [commit.submit(2), commit.submit(3)]
    expect(groups()).toEqual([])
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30])
    expect(groups()).toEqual([[1, 2, 3]])
  })

  it('with no window, groups what was submitted in the same turn', async () => {
    const { flush, groups } = recordingFlush({ autoFinish: true })
    const commit = makeGroupCommit(flush, { windowMs: 0, sizeMax: 100, inFlightMax: 1 })
    const outcomes = await Promise.all([1, 2, 3].map((item) => commit.submit(item)))
    expect(outcomes).toEqual([10, 20, 30])
    expect(await commit.submit(4)).toBe(40)
    expect(groups()).toEqual([[1, 2, 3], [4]])
  })

  it('sends a full group at once and caps every group at sizeMax', async () => {
    const { calls, flush, groups } = recordingFlush({ autoFinish: false })
    const commit = makeGroupCommit(flush, { windowMs: 60_000, sizeMax: 3, inFlightMax: 2 })
    const submitted = [1, 2, 3, 4, 5, 6, 7].map((item) => commit.submit(item))
    // Two full groups left without waiting for the window; the seventh waits for a free slot.
    expect(groups()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ])
    calls[1]?.finish()
    await tick()
    expect(groups()).toEqual([[1, 2, 3], [4, 5, 6], [7]])
    calls[0]?.finish()
    calls[2]?.finish()
    expect(await Promise.all(submitted)).toEqual([10, 20, 30, 40, 50, 60, 70])
  })

  it('keeps gathering while inFlightMax groups are out, then sends at once', async () => {
    const { calls, flush, groups } = recordingFlush({ autoFinish: false })
    const commit = makeGroupCommit(flush, { windowMs: 0, sizeMax: 100, inFlightMax: 1 })
    const first = commit.submit(1)
    await tick()
    expect(groups()).toEqual([[1]])
    const later = [2, 3, 4, 5].map((item) => commit.submit(item))
    await tick()
    expect(groups()).toEqual([[1]])
    calls[0]?.finish()
    expect(await first).toBe(10)
    expect(groups()).toEqual([[1], [2, 3, 4, 5]])
    calls[1]?.finish()
    expect(await Promise.all(later)).toEqual([20, 30, 40, 50])
  })

  it('fails one request alone when its outcome is a rejection', async () => {
    const flush: Flush<number, number> = async (items) =>
      items.map((item) =>
        item === 2
          ? { status: 'rejected', reason: new Error('two is bad') }
          : { status: 'fulfilled', value: item },
      )
    const commit = makeGroupCommit(flush, { windowMs: 0, sizeMax: 10, inFlightMax: 1 })
    const outcomes = await Promise.allSettled([1, 2, 3].map((item) => commit.submit(item)))
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
  })

  it('fails every request of a group whose flush throws, and goes on with the next', async () => {
    let calls = 0
    const flush: Flush<number, number> = async (items) => {
      calls += 1
      if (calls === 1) throw new Error('connection lost')
      return items.map((item) => ({ status: 'fulfilled', value: item }))
    }
    const commit = makeGroupCommit(flush, { windowMs: 0, sizeMax: 10, inFlightMax: 1 })
    const failed = await Promise.allSettled([1, 2].map((item) => commit.submit(item)))
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected'])
    expect(await commit.submit(3)).toBe(3)
  })

  it('fails the group when flush breaks its promise of one outcome per request', async () => {
    const flush: Flush<number, number> = async () => []
    const commit = makeGroupCommit(flush, { windowMs: 0, sizeMax: 10, inFlightMax: 1 })
    await expect(commit.submit(1)).rejects.toThrow('one outcome per request')
  })

  it('close() sends what waits, waits for groups out, then refuses new requests', async () => {
    const { calls, flush, groups } = recordingFlush({ autoFinish: false })
    const commit = makeGroupCommit(flush, { windowMs: 60_000, sizeMax: 2, inFlightMax: 1 })
    const submitted = [1, 2, 3].map((item) => commit.submit(item))
    let closed = false
    const closing = commit.close().then(() => (closed = true))
    expect(groups()).toEqual([[1, 2]])
    calls[0]?.finish()
    await tick()
    expect(groups()).toEqual([[1, 2], [3]])
    expect(closed).toBe(false)
    calls[1]?.finish()
    await closing
    expect(await Promise.all(submitted)).toEqual([10, 20, 30])
    expect(() => commit.submit(4)).toThrow('submit after close')
    await commit.close()
  })
})
