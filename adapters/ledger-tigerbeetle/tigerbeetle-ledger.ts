// The Ledger port over TigerBeetle: one TigerBeetle ledger per asset, accounts and transfers
// under our UUIDs (as u128), a linked chain per transfer batch, and concurrent batches grouped
// into one create_transfers request (transfer-batcher.ts).
import { AccountFilterFlags, createClient } from 'tigerbeetle-node'
import type { Client, ClientInitArgs, Transfer } from 'tigerbeetle-node'
import type { Clock } from '../../application/ports/clock.ts'
import type { Ledger } from '../../application/ports/ledger.ts'
import type { AccountBalance, LedgerAccount } from '../../domain/ledger/account.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import { systemClock } from '../system/system-clock.ts'
import { accountStatusOutcome } from './errors.ts'
import { isReservedU128, uuidToU128 } from './ids.ts'
import {
  expiredVoidIdOf,
  isExpiredVoidMarker,
  settlementsOf,
  toAccountBalance,
  toTigerbeetleAccount,
  toTransferRecord,
} from './objects.ts'
import { transfer, type ChainContext } from './apply-chain.ts'
import { makeTransferBatcher } from './transfer-batcher.ts'

/** TigerBeetle's default batch limit for create_* and lookup_* requests. */
export const eventsPerRequestMaxDefault = 8189

export type ConnectTigerbeetleOptions = {
  readonly clusterId: bigint
  readonly replicaAddresses: readonly string[]
  readonly connectTimeoutMs: number
}

/**
 * Creates the client and proves the cluster answers (a lookup of no account), or throws within
 * connectTimeoutMs. The client retries forever by itself, so an unanswered probe stays in flight:
 * it is not destroyed then (Deno crashes when a client is destroyed mid-request); the caller
 * exits the process instead.
 */
export async function connectTigerbeetle(
  options: ConnectTigerbeetleOptions,
  create: (args: ClientInitArgs) => Client = createClient,
): Promise<Client> {
  const where = `TIGERBEETLE_REPLICA_ADDRESSES=${options.replicaAddresses.join(',')}`
  const wayOut = 'set USE_TIGERBEETLE=false to keep accounts in PostgreSQL'
  let client: Client
  try {
    client = create({
      cluster_id: options.clusterId,
      replica_addresses: [...options.replicaAddresses],
    })
  } catch (error) {
    throw new Error(`TigerBeetle client refused ${where}: ${messageOf(error)}; ${wayOut}`, {
      cause: error,
    })
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.connectTimeoutMs)
  })
  const probe = client.lookupAccounts([0n]).then(
    () => 'answered' as const,
    (error: unknown) => ({ error }),
  )
  try {
    const outcome = await Promise.race([probe, timedOut])
    if (outcome === 'timeout') {
      const seconds = options.connectTimeoutMs / 1000
      throw new Error(`TigerBeetle did not answer at ${where} within ${seconds} s; ${wayOut}`)
    }
    if (outcome !== 'answered') {
      // Settled, so nothing is in flight and the client can go.
      client.destroy()
      throw new Error(`TigerBeetle at ${where} failed: ${messageOf(outcome.error)}; ${wayOut}`, {
        cause: outcome.error,
      })
    }
  } finally {
    clearTimeout(timer)
  }
  return client
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

export type TigerbeetleLedgerOptions = {
  /** Events per request, at most TigerBeetle's batch limit; also the longest transfer batch. */
  readonly eventsPerRequestMax?: number
  /** Tells an unsettled pending transfer past its timeout (VOIDED) from a live one. */
  readonly clock?: Clock
}

type Context = ChainContext & { readonly clock: Clock }

export function makeTigerbeetleLedger(
  client: Client,
  options: TigerbeetleLedgerOptions = {},
): Ledger {
  const eventsPerRequestMax = options.eventsPerRequestMax ?? eventsPerRequestMaxDefault
  assert(
    Number.isInteger(eventsPerRequestMax) &&
      eventsPerRequestMax >= 1 &&
      eventsPerRequestMax <= eventsPerRequestMaxDefault,
    `eventsPerRequestMax must be 1..${eventsPerRequestMaxDefault}, not ${eventsPerRequestMax}`,
  )
  const batcher = makeTransferBatcher((events) => client.createTransfers(events), {
    eventsPerRequestMax,
  })
  const context: Context = {
    client,
    batcher,
    eventsPerRequestMax,
    clock: options.clock ?? systemClock,
  }
  const running = new Set<Promise<unknown>>()
  let closing: Promise<void> | undefined

  // Every public call is tracked whole (a transfer may take several requests), so close() can
  // wait for all of them before the client goes.
  const run = <T>(operation: () => Promise<T>): Promise<T> => {
    assert(closing === undefined, 'the TigerBeetle ledger was used after close()')
    const promise = operation()
    running.add(promise)
    const forget = () => running.delete(promise)
    promise.then(forget, forget)
    return promise
  }

  return {
    createAccounts: (accounts) => run(() => createAccounts(context, accounts)),
    transfer: (batch) => run(() => transfer(context, batch)),
    getBalances: (accountIds) => run(() => getBalances(context, accountIds)),
    getAccountTransfers: (accountId, limit) =>
      run(() => getAccountTransfers(context, accountId, limit)),
    close() {
      closing ??= (async () => {
        while (running.size > 0) await Promise.allSettled([...running])
        await batcher.drain()
        client.destroy()
      })()
      return closing
    },
  }
}

const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = []
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size))
  }
  return chunks
}

type CreateAccountsResult = Awaited<ReturnType<Ledger['createAccounts']>>

// Unlinked: each account stands alone, and an existing one needs no second request.
async function createAccounts(
  { client, eventsPerRequestMax }: Context,
  accounts: readonly LedgerAccount[],
): Promise<CreateAccountsResult> {
  let offset = 0
  for (const chunk of chunksOf(accounts.map(toTigerbeetleAccount), eventsPerRequestMax)) {
    const results = await client.createAccounts(chunk)
    assert(results.length === chunk.length, 'TigerBeetle lost an account result')
    for (const [position, result] of results.entries()) {
      const index = offset + position
      if (accountStatusOutcome(result.status, index) === 'exists_with_different_fields') {
        return err({ index, error: 'exists_with_different_fields' })
      }
    }
    offset += chunk.length
  }
  return ok(undefined)
}

// Keyed back by the id as asked; a string that is no UUID names no account.
async function getBalances(
  { client, eventsPerRequestMax }: Context,
  accountIds: readonly string[],
): Promise<ReadonlyMap<string, AccountBalance>> {
  const asked = new Map<bigint, string>()
  for (const id of accountIds) if (isUuid(id)) asked.set(uuidToU128(id), id)
  const balances = new Map<string, AccountBalance>()
  for (const chunk of chunksOf([...asked.keys()], eventsPerRequestMax)) {
    for (const account of await client.lookupAccounts(chunk)) {
      const id = asked.get(account.id)
      assert(id !== undefined, 'TigerBeetle returned an account we did not ask for')
      balances.set(id, toAccountBalance(account))
    }
  }
  return balances
}

type AccountTransfers = Awaited<ReturnType<Ledger['getAccountTransfers']>>

// Newest first, `limit` on each side: one request per side, sent together.
async function getAccountTransfers(
  { client, eventsPerRequestMax, clock }: Context,
  accountId: string,
  limit: number,
): Promise<AccountTransfers> {
  assert(
    Number.isInteger(limit) && limit >= 1 && limit <= eventsPerRequestMax,
    `limit must be 1..${eventsPerRequestMax}, not ${limit}`,
  )
  if (!isUuid(accountId) || isReservedU128(uuidToU128(accountId))) {
    return { debits: [], credits: [] }
  }
  const side = (flag: AccountFilterFlags) =>
    client.getAccountTransfers({
      account_id: uuidToU128(accountId),
      user_data_128: 0n,
      user_data_64: 0n,
      user_data_32: 0,
      code: 0,
      timestamp_min: 0n,
      timestamp_max: 0n,
      limit,
      flags: flag | AccountFilterFlags.reversed,
    })
  const [debits, credits] = await Promise.all([
    side(AccountFilterFlags.debits),
    side(AccountFilterFlags.credits),
  ])
  const view = {
    settled: settlementsOf([...debits, ...credits]),
    heldAmounts: await heldAmountsOf(client, [...debits, ...credits]),
    nowMs: clock.now(),
  }
  return {
    debits: debits.map((transfer) => toTransferRecord(transfer, view)),
    credits: credits.map((transfer) => toTransferRecord(transfer, view)),
  }
}

// An expired-void marker moves nothing; its record shows the amount of the hold it voided, which
// is usually on the same page and otherwise one lookup away (markers are rare).
async function heldAmountsOf(
  client: Client,
  transfers: readonly Transfer[],
): Promise<ReadonlyMap<bigint, bigint>> {
  const amounts = new Map(transfers.map((transfer) => [transfer.id, transfer.amount]))
  const missing = transfers
    .filter(isExpiredVoidMarker)
    .map((marker) => expiredVoidIdOf(marker.id))
    .filter((pendingId) => !amounts.has(pendingId))
  if (missing.length > 0) {
    for (const held of await client.lookupTransfers(missing)) amounts.set(held.id, held.amount)
  }
  return amounts
}
