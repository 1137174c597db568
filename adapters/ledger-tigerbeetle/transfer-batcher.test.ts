import { CreateTransferStatus, TransferFlags } from 'tigerbeetle-node'
import type { CreateTransferResult, Transfer } from 'tigerbeetle-node'
import { describe, expect, it } from 'vitest'
import { makeTransferBatcher } from './transfer-batcher.ts'

const S = CreateTransferStatus

// Events that carry their own id; only ids and flags matter to the batcher.
const chainOf = (...ids: number[]): Transfer[] =>
  ids.map((id, index) => ({
    id: BigInt(id),
    debit_account_id: 1n,
    credit_account_id: 2n,
    amount: 1n,
    pending_id: 0n,
    user_data_128: 0n,
    user_data_64: 0n,
    user_data_32: 0,
    timeout: 0,
    ledger: 1,
    code: 1,
    flags: index < ids.length - 1 ? TransferFlags.linked : TransferFlags.none,
    timestamp: 0n,
  }))

type Call = {
  readonly ids: bigint[]
  answer(statuses?: CreateTransferStatus[]): void
  fail(e: Error): void
}

// A send whose replies the test releases by hand; by default every event is "created".
function controlledSend() {
  const calls: Call[] = []
  const send = (events: Transfer[]) =>
    new Promise<CreateTransferResult[]>((resolve, reject) => {
      calls.push({
        ids: events.map((event) => event.id),
        answer: (statuses) =>
          resolve(
            (statuses ?? events.map(() => S.created)).map((status) => ({ status, timestamp: 1n })),
          ),
        fail: reject,
      })
    })
  return { calls, send }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('transfer batcher', () => {
  it('sends a lone chain at once and hands back its statuses', async () => {
    const { calls, send } = controlledSend()
    const batcher = makeTransferBatcher(send, { eventsPerRequestMax: 10 })
    const statuses = batcher.submit(chainOf(1, 2))
    await settle()
    expect(calls.map((call) => call.ids)).toEqual([[1n, 2n]])
    calls[0]?.answer()
    expect(await statuses).toEqual([S.created, S.created])
  })

  it('groups chains submitted in one tick into one request, each caller getting its slice', async () => {
    const { calls, send } = controlledSend()
    const batcher = makeTransferBatcher(send, { eventsPerRequestMax: 10 })
    const first = batcher.submit(chainOf(1, 2))
    const second = batcher.submit(chainOf(3))
    const third = batcher.submit(chainOf(4, 5, 6))
    await settle()
    expect(calls.map((call) => call.ids)).toEqual([[1n, 2n, 3n, 4n, 5n, 6n]])
    calls[0]?.answer([
      S.created,
      S.created,
      S.exceeds_credits,
      S.linked_event_failed,
      S.exists,
      S.linked_event_failed,
    ])
    expect(await first).toEqual([S.created, S.created])
    expect(await second).toEqual([S.exceeds_credits])
    expect(await third).toEqual([S.linked_event_failed, S.exists, S.linked_event_failed])
  })

  it('queues chains while a request is in flight and sends them together next', async () => {
    const { calls, send } = controlledSend()
    const batcher = makeTransferBatcher(send, { eventsPerRequestMax: 10 })
    const first = batcher.submit(chainOf(1))
    await settle()
    const later = [batcher.submit(chainOf(2)), batcher.submit(chainOf(3, 4))]
    await settle()
    expect(calls).toHaveLength(1)
    calls[0]?.answer()
    await first
    await settle()
    expect(calls.map((call) => call.ids)).toEqual([[1n], [2n, 3n, 4n]])
    calls[1]?.answer()
    expect(await Promise.all(later)).toEqual([[S.created], [S.created, S.created]])
  })

  it('never splits a chain over two requests, and keeps arrival order', async () => {
    const { calls, send } = controlledSend()
    const batcher = makeTransferBatcher(send, { eventsPerRequestMax: 3 })
    const all = [chainOf(1, 2), chainOf(3, 4), chainOf(5), chainOf(6, 7, 8)].map((chain) =>
      batcher.submit(chain),
    )
    for (let round = 0; round < 3; round += 1) {
      await settle()
      calls[round]?.answer()
    }
    await Promise.all(all)
    expect(calls.map((call) => call.ids)).toEqual([
      [1n, 2n],
      [3n, 4n, 5n],
      [6n, 7n, 8n],
    ])
  })

  it('fails only the callers of a failed request', async () => {
    const { calls, send } = controlledSend()
    const batcher = makeTransferBatcher(send, { eventsPerRequestMax: 2 })
    const failed = batcher.submit(chainOf(1, 2))
    const fine = batcher.submit(chainOf(3))
    await settle()
    calls[0]?.fail(new Error('Client was evicted.'))
    await expect(failed).rejects.toThrow(/evicted/)
    await settle()
    calls[1]?.answer()
    expect(await fine).toEqual([S.created])
  })

  it('fails its callers when a reply does not match the request', async () => {
    const { calls, send } = controlledSend()
    const batcher = makeTransferBatcher(send, { eventsPerRequestMax: 10 })
    const statuses = batcher.submit(chainOf(1, 2))
    await settle()
    calls[0]?.answer([S.created])
    await expect(statuses).rejects.toThrow(/1 results to 2 transfers/)
  })

  it('asserts on chains that are empty, too long, or not linked all but last', () => {
    const batcher = makeTransferBatcher(controlledSend().send, { eventsPerRequestMax: 2 })
    expect(() => batcher.submit([])).toThrow(/empty/)
    expect(() => batcher.submit(chainOf(1, 2, 3))).toThrow(/exceeds eventsPerRequestMax 2/)
    const [open] = chainOf(1, 2)
    expect(() => batcher.submit(open === undefined ? [] : [open])).toThrow(/all of its events/)
    const unlinked = chainOf(1, 2).map((event) => ({ ...event, flags: TransferFlags.none }))
    expect(() => batcher.submit(unlinked)).toThrow(/all of its events/)
  })

  it('drains: resolves once nothing is queued or in flight', async () => {
    const { calls, send } = controlledSend()
    const batcher = makeTransferBatcher(send, { eventsPerRequestMax: 1 })
    const submitted = [batcher.submit(chainOf(1)), batcher.submit(chainOf(2))]
    let drained = false
    const draining = batcher.drain().then(() => (drained = true))
    await settle()
    calls[0]?.answer()
    await settle()
    expect(drained).toBe(false)
    calls[1]?.answer()
    await draining
    await Promise.all(submitted)
    expect(drained).toBe(true)
  })
})
