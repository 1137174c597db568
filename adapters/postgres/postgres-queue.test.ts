import { describe, expect, it } from 'vitest'

// postgres.js's internal queue, as installed (and mended by runtimes/patch-postgres-queue.mjs on
// npm install): it is not among the package's exports, so it is loaded by its path.
type Queue<T> = {
  readonly length: number
  push(x: T): T
  shift(): T | undefined
  remove(x: T): T | null
}
const queuePath = new URL('../../node_modules/postgres/src/queue.js', import.meta.url).href
const makeQueue = async <T>(initial: T[]): Promise<Queue<T>> => {
  const module = (await import(queuePath)) as { default: (initial: T[]) => Queue<T> }
  return module.default(initial)
}

/** The lengths of the arrays indexOf searched while `run` ran. */
function searchedLengths(run: () => void): number[] {
  const lengths: number[] = []
  const indexOf = Array.prototype.indexOf
  Array.prototype.indexOf = function (this: unknown[], ...args: Parameters<typeof indexOf>) {
    lengths.push(this.length)
    return indexOf.apply(this, args)
  }
  try {
    run()
  } finally {
    Array.prototype.indexOf = indexOf
  }
  return lengths
}

describe("postgres.js's connection queue (mended at install)", () => {
  it('searches no more than the connections it holds, however many queries went by', async () => {
    // The pool's idle connections: each query takes the first, moves it away (remove), and
    // puts it back at the end once done. Unmended, every round left a hole that each later
    // remove() searched: 20,000 rounds ended searching 20,000 slots.
    const queue = await makeQueue(['a', 'b', 'c'])
    const taken: string[] = []
    const lengths = searchedLengths(() => {
      for (let round = 0; round < 20_000; round += 1) {
        const connection = queue.shift()
        if (connection === undefined) throw new Error('queue ran dry')
        taken.push(connection)
        queue.remove(connection)
        queue.push(connection)
      }
    })
    expect(Math.max(...lengths)).toBeLessThanOrEqual(3)
    expect(queue.length).toBe(3)
    // Still first in, first out.
    expect(taken.slice(0, 7)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a'])
  })

  it('still removes what it holds and only that', async () => {
    const queue = await makeQueue(['a', 'b', 'c', 'd'])
    expect(queue.shift()).toBe('a')
    expect(queue.remove('c')).toBe('c')
    expect(queue.remove('a')).toBe(null)
    expect(queue.length).toBe(2)
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(['b', 'd', undefined])
    expect(queue.length).toBe(0)
  })
})
