// One transfer batch as one linked chain, with what TigerBeetle leaves to the caller: telling a
// retry from a conflict, and voiding a hold that already expired.
import { CreateTransferStatus, TransferFlags } from 'tigerbeetle-node'
import type { Client, Transfer } from 'tigerbeetle-node'
import type { TransferFailure } from '../../application/ports/ledger.ts'
import { checkTransfer, type TransferRequest } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { chainOutcome, type ChainOutcome } from './errors.ts'
import {
  checkForTigerbeetle,
  expiredVoidIdOf,
  linkChain,
  sameTransfer,
  toExpiredVoidMarker,
  toTigerbeetleTransfer,
} from './objects.ts'
import type { TransferBatcher } from './transfer-batcher.ts'

export type ChainContext = {
  readonly client: Client
  readonly batcher: TransferBatcher
  readonly eventsPerRequestMax: number
}

export type TransferResult = Result<'created' | 'exists', TransferFailure>

/** An event of the chain and the index of the request it came from. */
type Entry = {
  readonly index: number
  readonly event: Transfer
  /** The event is the expired-void marker standing in for the request's void. */
  readonly marker?: true
}
type Repaired = Result<readonly Entry[], TransferFailure>

export async function transfer(
  context: ChainContext,
  batch: readonly TransferRequest[],
): Promise<TransferResult> {
  const max = context.eventsPerRequestMax
  assert(
    batch.length > 0 && batch.length <= max,
    `a transfer batch holds 1..${max} transfers (one linked chain in one request), not ${batch.length}`,
  )
  for (const [index, request] of batch.entries()) {
    const error = checkTransfer(request) ?? checkForTigerbeetle(request)
    if (error !== undefined) return err({ index, error })
  }
  return applyChain(
    context,
    batch.map((request, index) => ({ index, event: toTigerbeetleTransfer(request) })),
  )
}

// Sends the chain and, while TigerBeetle's answer is one we can act on, repairs it and sends
// again. Every repair takes an event out or swaps a void for its marker (once per event), so
// this ends within twice the chain's length.
async function applyChain(context: ChainContext, chain: readonly Entry[]): Promise<TransferResult> {
  let remaining = chain
  for (let round = 0; remaining.length > 0; round += 1) {
    assert(round <= 2 * chain.length, 'a transfer chain keeps failing the same way')
    const statuses = await context.batcher.submit(linkChain(remaining.map(({ event }) => event)))
    assert(statuses.length === remaining.length, 'the batcher lost a status')
    const outcome = chainOutcome(statuses)
    if (outcome.kind === 'created') return ok('created')
    const repaired = await repair(context, remaining, outcome)
    if (!repaired.ok) return repaired
    remaining = repaired.value
  }
  return ok('exists')
}

async function repair(
  context: ChainContext,
  chain: readonly Entry[],
  outcome: Exclude<ChainOutcome, { kind: 'created' }>,
): Promise<Repaired> {
  const entry = chain[outcome.index]
  assert(entry !== undefined, `no transfer at ${outcome.index} of the chain`)
  if (outcome.kind === 'exists') return withoutExisting(context, chain)
  const settles = entry.event.pending_id !== 0n
  switch (outcome.status) {
    // Flags differ when only `linked` does (see sameTransfer), so look closer.
    case CreateTransferStatus.exists_with_different_flags:
      return withoutExisting(context, chain)
    case CreateTransferStatus.pending_transfer_expired:
      return settleExpired(context, chain, outcome.index, 'expired')
    // The retry of a void of an expired hold, if TigerBeetle burnt its id on the first attempt.
    case CreateTransferStatus.id_already_failed:
      if (settles) return settleExpired(context, chain, outcome.index, 'unknown')
      break
    // The hold's marker exists for another void.
    case CreateTransferStatus.exists_with_different_user_data_128:
      if (entry.marker) return err({ index: entry.index, error: 'already_voided' })
      break
  }
  return err({ index: entry.index, error: outcome.error })
}

// TigerBeetle stops a chain at its first event that exists and says nothing of the others, so
// the chain's transfers are looked up: one that exists with our fields is a retry of work done
// and leaves the chain, one with other fields refuses the batch, the rest is sent again.
async function withoutExisting(
  { client, eventsPerRequestMax }: ChainContext,
  chain: readonly Entry[],
): Promise<Repaired> {
  const ids = chain.flatMap(({ event }) =>
    event.pending_id === 0n ? [event.id] : [event.id, event.pending_id],
  )
  const stored = new Map<bigint, Transfer>()
  for (let start = 0; start < ids.length; start += eventsPerRequestMax) {
    const chunk = ids.slice(start, start + eventsPerRequestMax)
    for (const found of await client.lookupTransfers(chunk)) stored.set(found.id, found)
  }
  const unseen: Entry[] = []
  for (const entry of chain) {
    const found = stored.get(entry.event.id)
    if (found === undefined) unseen.push(entry)
    else if (!sameTransfer(entry.event, found, stored.get(found.pending_id))) {
      return err({ index: entry.index, error: 'exists_with_different_fields' })
    }
  }
  assert(unseen.length < chain.length, 'TigerBeetle reported a transfer it does not have')
  return ok(unseen)
}

// TigerBeetle refuses to post or void an expired hold. Our port lets it be voided once: the void
// becomes a marker (objects.ts) under an id derived from the hold's, so a retry finds its own
// marker (done), another void or a post finds someone else's (already_voided), and a post with
// no marker is simply too late (expired).
async function settleExpired(
  { client }: ChainContext,
  chain: readonly Entry[],
  position: number,
  /** Only a hold TigerBeetle just called expired may get a marker. */
  hold: 'expired' | 'unknown',
): Promise<Repaired> {
  const entry = chain[position]
  assert(entry !== undefined, `no transfer at ${position} of the chain`)
  const { event } = entry
  const voids = (event.flags & TransferFlags.void_pending_transfer) !== 0
  const [marker] = await client.lookupTransfers([expiredVoidIdOf(event.pending_id)])
  if (marker !== undefined) {
    if (voids && marker.user_data_128 === event.id) {
      return ok(chain.filter((_, at) => at !== position))
    }
    return err({ index: entry.index, error: 'already_voided' })
  }
  if (hold === 'unknown') return err({ index: entry.index, error: 'exists_with_different_fields' })
  if (!voids) return err({ index: entry.index, error: 'expired' })
  const [held] = await client.lookupTransfers([event.pending_id])
  if (held === undefined) return err({ index: entry.index, error: 'unknown_pending_transfer' })
  const swapped: Entry = {
    index: entry.index,
    event: toExpiredVoidMarker(event, held),
    marker: true,
  }
  return ok(chain.map((other, at) => (at === position ? swapped : other)))
}
