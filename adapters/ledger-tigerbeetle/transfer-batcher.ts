// Group commit for create_transfers: TigerBeetle's throughput comes from many events per request,
// and a client session has one request in flight at a time anyway. So while a request is out, the
// chains submitted meanwhile wait here and leave together in the next one. A lone chain leaves at
// once (after the current microtask, so that calls made in one tick share a request).
import type { CreateTransferResult, Transfer } from 'tigerbeetle-node'
import { TransferFlags } from 'tigerbeetle-node'
import { assert } from '../../domain/shared/assert.ts'

export type TransferBatcher = {
  /** Sends one linked chain; resolves with the status of each of its events, in order. */
  submit(chain: readonly Transfer[]): Promise<readonly number[]>
  /** Resolves once nothing is queued or in flight. */
  drain(): Promise<void>
}

type Waiting = {
  readonly chain: readonly Transfer[]
  readonly resolve: (statuses: readonly number[]) => void
  readonly reject: (error: unknown) => void
}

export function makeTransferBatcher(
  send: (events: Transfer[]) => Promise<CreateTransferResult[]>,
  options: { readonly eventsPerRequestMax: number },
): TransferBatcher {
  const queue: Waiting[] = []
  let flushing: Promise<void> | undefined

  // Whole chains only, in arrival order: a chain split over two requests would not be atomic.
  const takeRequest = (): Waiting[] => {
    let count = 0
    let events = 0
    for (const waiting of queue) {
      if (events + waiting.chain.length > options.eventsPerRequestMax) break
      events += waiting.chain.length
      count += 1
    }
    return queue.splice(0, count)
  }

  const sendOne = async (taken: readonly Waiting[]): Promise<void> => {
    try {
      const events = taken.flatMap((waiting) => [...waiting.chain])
      const results = await send(events)
      assert(
        results.length === events.length,
        `TigerBeetle answered ${results.length} results to ${events.length} transfers`,
      )
      let offset = 0
      for (const waiting of taken) {
        const end = offset + waiting.chain.length
        waiting.resolve(results.slice(offset, end).map((result) => result.status))
        offset = end
      }
    } catch (error) {
      // A failed request (client closed or evicted, or our assertion) fails each of its callers.
      for (const waiting of taken) waiting.reject(error)
    }
  }

  const flush = async (): Promise<void> => {
    await Promise.resolve()
    while (queue.length > 0) await sendOne(takeRequest())
    flushing = undefined
  }

  return {
    submit(chain) {
      assert(chain.length > 0, 'an empty chain')
      assert(
        chain.length <= options.eventsPerRequestMax,
        `a chain of ${chain.length} transfers exceeds eventsPerRequestMax ${options.eventsPerRequestMax}`,
      )
      chain.forEach((event, index) => {
        const linked = (event.flags & TransferFlags.linked) !== 0
        assert(linked === index < chain.length - 1, 'a chain links all of its events but the last')
      })
      return new Promise((resolve, reject) => {
        queue.push({ chain, resolve, reject })
        flushing ??= flush()
      })
    },
    drain: async () => {
      while (flushing !== undefined) await flushing
    },
  }
}
