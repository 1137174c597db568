// Liquidity for packets in flight, reserved in chunks instead of one ledger hold per packet.
//
// For each leg (a debit account, a credit account, a ledger) the process keeps one pending
// transfer in the ledger, the chunk, and hands out room in it to packets from memory. A packet
// that fits costs no ledger call before it is forwarded; a rejected one gives its room back,
// again without a call. Fulfilled packets are moved for good by a flush, one linked batch for
// everyone fulfilled since the last flush of that leg:
//
//   void the chunk  ->  single transfer of what was earned  ->  pending chunk for what is left
//
// The void frees at least what the other two take, so the batch can only fail on a chunk that
// expired; the packets still in flight are carried over into the new chunk; and a fulfilled
// packet is answered only once the flush holding its amount has committed durably. Chunks are
// real pending transfers, so replicas sharing an account can never overdraw it together.

import { availableLiquidity } from '../../domain/ledger/account.ts'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger, TransferFailure } from '../ports/ledger.ts'
import type { Logger } from '../ports/logger.ts'

/** Money a packet moves from one account to another on one ledger. */
export type Leg = {
  readonly debitAccountId: string
  readonly creditAccountId: string
  readonly ledger: number
  readonly amount: bigint
}

/** What one packet holds; settled or released exactly once. */
export type Reservation = { readonly held: readonly unknown[] }

export interface LiquidityReservations {
  /**
   * Reserves every leg's amount, all or none: undefined when a debit account lacks the
   * liquidity. Throws when the ledger fails.
   */
  reserve(legs: readonly Leg[]): Promise<Reservation | undefined>
  /**
   * The packet was fulfilled: its legs move for good. Resolves once that is durable in the
   * ledger, or once an attempt failed (logged, and retried with the next flush): the money has
   * already moved downstream, so the packet's Fulfill must go back either way.
   */
  settle(reservation: Reservation): Promise<void>
  /** The packet failed: its legs' room goes back to the reservation. */
  release(reservation: Reservation): void
  /** Moves what was earned and releases every chunk; waits for flushes in progress. */
  close(): Promise<void>
}

export type LiquidityReservationsDeps = {
  readonly ledger: Ledger
  readonly ids: IdGenerator
  readonly clock: Clock
  readonly logger: Logger
  /** The longest a packet may stay in flight: a chunk lent to a packet outlives it by this. */
  readonly holdWindowMsMax: number
  /** Wait after a ledger call threw before the leg's next flush. */
  readonly retryDelayMs?: number
  /**
   * How long a leg must stay quiet before its chunk is released: packets that come back within
   * it find their room still there. Default 10 ms.
   */
  readonly lingerMs?: number
}

type Waiter = {
  readonly amount: bigint
  readonly resolve: (reserved: boolean) => void
  readonly reject: (error: unknown) => void
}

type Held = { readonly state: LegState; readonly amount: bigint }
type Ticket = { readonly held: readonly Held[] }

type Chunk = { readonly id: string; readonly amount: bigint; readonly expiresAtMs: number }

/** A flush's batch, kept until the ledger has answered it. */
type Submitted = {
  readonly batch: readonly TransferRequest[]
  readonly earned: bigint
  /** The chunk replacing the current one, none, or the current one left as it is. */
  readonly chunk: { readonly id: string; readonly amount: bigint } | undefined | 'kept'
  readonly parts: { readonly voided: number; readonly earned: number; readonly pending: number }
}

type LegState = {
  readonly key: string
  readonly debitAccountId: string
  readonly creditAccountId: string
  readonly ledger: number
  chunk: Chunk | undefined
  /** Lent to packets in flight. */
  inUse: bigint
  /** Fulfilled, not yet moved by a flush; still inside the chunk. */
  earned: bigint
  earners: (() => void)[]
  waiters: Waiter[]
  flushing: Promise<void> | undefined
  /** performance.now() of the last reserve, settle or release. */
  activeAtMs: number
  lingering: boolean
  /** The most the leg needed at once (in use, earned and asked for) since its last flush. */
  needPeak: bigint
  /** A batch whose ledger call threw: it may have been applied. */
  unresolved: Submitted | undefined
  /** While a flush is out: the chunk it asks for, the waiters and earnings it carries. */
  lending: { chunk: bigint; demand: bigint; earned: bigint } | 'blocked' | undefined
}

const closeRoundsMax = 20

const sum = (amounts: readonly bigint[]) => amounts.reduce((a, b) => a + b, 0n)

export function makeLiquidityReservations(deps: LiquidityReservationsDeps): LiquidityReservations {
  const { ledger, ids, clock, logger, holdWindowMsMax } = deps
  const retryDelayMs = deps.retryDelayMs ?? 100
  const lingerMs = deps.lingerMs ?? 10
  // A chunk lives two hold windows, and lends room only while a packet's longest stay fits in
  // what is left of its life; after that the next flush replaces it.
  const chunkTimeoutSeconds = Math.ceil((2 * holdWindowMsMax) / 1000) + 1
  const chunkTimeoutMs = chunkTimeoutSeconds * 1000
  const lendingMarginMs = holdWindowMsMax + 1_000
  const legs = new Map<string, LegState>()
  let closed = false

  const stateOf = (leg: Leg): LegState => {
    const key = `${leg.debitAccountId}:${leg.creditAccountId}`
    let state = legs.get(key)
    if (state === undefined) {
      state = {
        key,
        debitAccountId: leg.debitAccountId,
        creditAccountId: leg.creditAccountId,
        ledger: leg.ledger,
        chunk: undefined,
        inUse: 0n,
        earned: 0n,
        earners: [],
        waiters: [],
        flushing: undefined,
        activeAtMs: performance.now(),
        lingering: false,
        needPeak: 0n,
        unresolved: undefined,
        lending: undefined,
      }
      legs.set(key, state)
    }
    return state
  }

  /** What a new packet may still borrow from the leg's chunk; negative: nothing. */
  const room = (state: LegState): bigint => {
    const { chunk, lending } = state
    if (chunk === undefined || state.unresolved !== undefined || lending === 'blocked') return -1n
    if (chunk.expiresAtMs - clock.now() < lendingMarginMs) return -1n
    const inChunk = chunk.amount - state.inUse - state.earned
    if (lending === undefined) return inChunk
    // After the flush: what is in use, the waiters it admits and what it did not move.
    const inNext = lending.chunk - lending.demand - state.inUse - (state.earned - lending.earned)
    return inNext < inChunk ? inNext : inChunk
  }

  const idle = (state: LegState) =>
    state.inUse === 0n && state.earned === 0n && state.waiters.length === 0

  /** True while a quiet leg keeps its chunk; kicks the leg again when the wait is over. */
  function linger(state: LegState): boolean {
    const leftMs = closed ? 0 : state.activeAtMs + lingerMs - performance.now()
    if (leftMs <= 0) return false
    if (!state.lingering) {
      state.lingering = true
      setTimeout(() => {
        state.lingering = false
        kick(state)
      }, leftMs).unref?.()
    }
    return true
  }

  /** Starts a flush of the leg when it has work and none is running. */
  function kick(state: LegState): void {
    if (state.flushing !== undefined) return
    const stale = state.chunk !== undefined && room(state) < 0n
    const release = state.chunk !== undefined && idle(state) && !linger(state)
    const work = state.earned > 0n || state.waiters.length > 0 || state.unresolved !== undefined
    if (!work && !stale && !release) {
      if (idle(state) && state.chunk === undefined) legs.delete(state.key)
      return
    }
    state.flushing = flush(state)
      .catch(async (error: unknown) => {
        logger.error({ err: error }, 'liquidity reservation: ledger call failed')
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs))
      })
      .finally(() => {
        state.flushing = undefined
        kick(state)
      })
  }

  const transfer = (
    type: 'single' | 'pending',
    state: LegState,
    amount: bigint,
  ): TransferRequest => ({
    type,
    id: ids.orderedUuid(),
    debitAccountId: state.debitAccountId,
    creditAccountId: state.creditAccountId,
    amount,
    ledger: state.ledger,
    ...(type === 'pending' ? { timeoutSeconds: chunkTimeoutSeconds } : {}),
  })

  type Attempt = { readonly chunk: bigint; readonly admitted: readonly boolean[] }
  type Parts = { readonly voided: number; readonly earned: number; readonly pending: number }
  type Applied = { ok: true } | { ok: false; failure: TransferFailure; parts: Parts }

  /** One linked batch: void the chunk, move `earned`, hold `chunkAmount`. */
  function prepare(state: LegState, earned: bigint, chunkAmount: bigint): Submitted {
    const batch: TransferRequest[] = []
    let [voided, earnedAt, pendingAt] = [-1, -1, -1]
    if (state.chunk !== undefined) {
      voided = batch.push({ type: 'void', id: ids.orderedUuid(), pendingId: state.chunk.id }) - 1
    }
    if (earned > 0n) earnedAt = batch.push(transfer('single', state, earned)) - 1
    const pending = chunkAmount > 0n ? transfer('pending', state, chunkAmount) : undefined
    if (pending !== undefined) pendingAt = batch.push(pending) - 1
    return {
      batch,
      earned,
      chunk: pending && { id: pending.id, amount: chunkAmount },
      parts: { voided, earned: earnedAt, pending: pendingAt },
    }
  }

  /** One transfer moving `earned`, beside the chunk. */
  function prepareEarnedAlone(state: LegState, earned: bigint): Submitted {
    return {
      batch: [transfer('single', state, earned)],
      earned,
      chunk: 'kept',
      parts: { voided: -1, earned: 0, pending: -1 },
    }
  }

  async function submit(state: LegState, submitted: Submitted): Promise<Applied> {
    if (submitted.batch.length === 0) return { ok: true }
    const startedMs = clock.now()
    let result: Awaited<ReturnType<Ledger['transfer']>>
    try {
      result = await ledger.transfer(submitted.batch, {
        durability: submitted.earned > 0n ? 'immediate' : 'deferred',
      })
    } catch (error) {
      // A call that throws may still have committed: the next flush sends the same batch
      // again, which the ledger applies at most once (same transfer ids).
      state.unresolved = submitted
      throw error
    }
    state.unresolved = undefined
    if (!result.ok) return { ok: false, failure: result.error, parts: submitted.parts }
    state.earned -= submitted.earned
    if (submitted.chunk !== 'kept') {
      state.chunk = submitted.chunk && {
        ...submitted.chunk,
        expiresAtMs: startedMs + chunkTimeoutMs,
      }
    }
    return { ok: true }
  }

  async function flush(state: LegState): Promise<void> {
    // Whoever settled before `earned` is read is answered by this flush: the two go together.
    const earners: (() => void)[] = []
    const readEarned = () => {
      earners.push(...state.earners.splice(0))
      return state.earned
    }
    const waiters = state.waiters.splice(0)
    try {
      if (state.unresolved !== undefined) await submit(state, state.unresolved)
      if (waiters.length === 0 && state.earned > 0n && room(state) >= 0n) {
        // Most often the account holds more than the chunk: the earnings move on their own,
        // and the chunk, untouched, keeps backing the packets in flight.
        const alone = await submit(state, prepareEarnedAlone(state, readEarned()))
        if (alone.ok) return
      }
      let earned = readEarned()
      const demand = sum(waiters.map((waiter) => waiter.amount))
      const all = waiters.map(() => true)
      // Room for as much again as the leg needed at its busiest since the last flush, so that
      // the next packets need no ledger call; nothing once the leg has gone quiet, which
      // releases the chunk.
      const need = state.inUse + demand + earned
      const peak = state.needPeak > need ? state.needPeak : need
      state.needPeak = need
      let attempt: Attempt = { chunk: need === 0n ? 0n : 2n * peak, admitted: all }
      // While this flush is out, packets may still borrow from the chunk, but only what the
      // chunk replacing it will hold too.
      state.lending = { chunk: attempt.chunk, demand, earned }
      for (let fallback = 0; ;) {
        const applied = await submit(state, prepare(state, earned, attempt.chunk))
        if (applied.ok) {
          admit(state, waiters, attempt.admitted)
          return
        }
        const { failure, parts } = applied
        if (failure.index === parts.voided && failure.error === 'expired') {
          // The chunk timed out (the process stalled): its hold is gone already.
          logger.error({ leg: state.key }, 'liquidity reservation: a chunk expired in use')
          state.chunk = undefined
          continue
        }
        if (failure.index === parts.earned && failure.error === 'insufficient_balance') {
          // Only after an expired chunk: the money went downstream and cannot be taken here.
          logger.error(
            { leg: state.key, amount: earned.toString() },
            'liquidity reservation: fulfilled packets could not be debited',
          )
          state.earned -= earned
          earned = 0n
          continue
        }
        if (failure.index !== parts.pending || failure.error !== 'insufficient_balance') {
          throw new Error(`liquidity reservation: ledger refused a flush: ${failure.error}`)
        }
        // The balance is short: lend nothing more until this flush is done, and hold what the
        // packets in flight need, with the waiting ones the balance still covers.
        state.lending = 'blocked'
        fallback += 1
        // Packets in flight, and those fulfilled since this flush began: the new chunk backs them.
        const carry = state.inUse + state.earned - earned
        if (fallback === 1) {
          attempt = { chunk: carry + demand, admitted: all }
        } else if (fallback === 2 && waiters.length > 0) {
          const fitting = await admissible(state, earned, carry, waiters)
          attempt = { chunk: carry + fitting.total, admitted: fitting.admitted }
        } else {
          throw new Error('liquidity reservation: could not hold the packets in flight')
        }
      }
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error)
      throw error
    } finally {
      state.lending = undefined
      for (const resolve of earners) resolve()
    }
  }

  /** Which waiters, first come first served, the debit account's balance can back after this flush. */
  async function admissible(
    state: LegState,
    earned: bigint,
    carry: bigint,
    waiters: readonly Waiter[],
  ) {
    const balances = await ledger.getBalances([state.debitAccountId])
    const balance = balances.get(state.debitAccountId)
    let left =
      balance === undefined
        ? 0n
        : availableLiquidity(balance) + (state.chunk?.amount ?? 0n) - earned - carry
    let total = 0n
    const admitted = waiters.map((waiter) => {
      if (waiter.amount > left) return false
      left -= waiter.amount
      total += waiter.amount
      return true
    })
    return { total, admitted }
  }

  function admit(state: LegState, waiters: readonly Waiter[], admitted: readonly boolean[]): void {
    waiters.forEach((waiter, index) => {
      if (admitted[index] === true) state.inUse += waiter.amount
      waiter.resolve(admitted[index] === true)
    })
  }

  async function reserveLeg(leg: Leg): Promise<Held> {
    const state = stateOf(leg)
    state.activeAtMs = performance.now()
    const need = state.inUse + state.earned + leg.amount
    if (need > state.needPeak) state.needPeak = need
    if (state.waiters.length === 0 && room(state) >= leg.amount) {
      state.inUse += leg.amount
      return { state, amount: leg.amount }
    }
    const reserved = await new Promise<boolean>((resolve, reject) => {
      state.waiters.push({ amount: leg.amount, resolve, reject })
      kick(state)
    })
    return reserved ? { state, amount: leg.amount } : { state, amount: 0n }
  }

  const releaseHeld = (held: readonly Held[]) => {
    for (const { state, amount } of held) {
      state.activeAtMs = performance.now()
      state.inUse -= amount
      kick(state)
    }
  }

  return {
    async reserve(packetLegs) {
      if (closed) throw new Error('liquidity reservations are closed')
      const held: Held[] = []
      try {
        for (const leg of packetLegs) {
          if (leg.amount <= 0n) continue
          const one = await reserveLeg(leg)
          if (one.amount === 0n) {
            releaseHeld(held)
            return undefined
          }
          held.push(one)
        }
        return { held }
      } catch (error) {
        releaseHeld(held)
        throw error
      }
    },
    async settle(ticket) {
      await Promise.all(
        (ticket as Ticket).held.map(({ state, amount }) => {
          state.activeAtMs = performance.now()
          state.inUse -= amount
          state.earned += amount
          return new Promise<void>((resolve) => {
            state.earners.push(resolve)
            kick(state)
          })
        }),
      )
    },
    release(ticket) {
      releaseHeld((ticket as Ticket).held)
    },
    async close() {
      closed = true
      for (let round = 0; round < closeRoundsMax; round += 1) {
        const running = [...legs.values()].flatMap((state) => {
          kick(state)
          return state.flushing === undefined ? [] : [state.flushing]
        })
        if (running.length === 0) return
        await Promise.all(running)
      }
      logger.error({}, 'liquidity reservations: closed with flushes still failing')
    },
  }
}
