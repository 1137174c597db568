import { describe, expect, it, vi } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { Logger } from '../ports/logger.ts'
import {
  makeLiquidityReservations,
  type Leg,
  type LiquidityReservationsDeps,
} from './liquidity-reservations.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }
const ledgerNumber = 1

async function setup(funding: bigint, options: Partial<LiquidityReservationsDeps> = {}) {
  const clock = makeFakeClock()
  const ledger = makeMemoryLedger(clock)
  const [settlement, alice, bob] = [randomIds.uuid(), randomIds.uuid(), randomIds.uuid()]
  await ledger.createAccounts([
    { id: settlement, ledger: ledgerNumber, kind: 'SETTLEMENT' },
    { id: alice, ledger: ledgerNumber, kind: 'PEER' },
    { id: bob, ledger: ledgerNumber, kind: 'PEER' },
  ])
  const funded = await ledger.transfer([
    {
      type: 'single',
      id: randomIds.uuid(),
      debitAccountId: settlement,
      creditAccountId: alice,
      amount: funding,
      ledger: ledgerNumber,
    },
  ])
  expect(funded.ok).toBe(true)
  const reservations = makeLiquidityReservations({
    ledger: options.ledger ?? ledger,
    ids: randomIds,
    clock,
    logger: silent,
    holdWindowMsMax: 30_000,
    lingerMs: 0,
    retryDelayMs: 1,
    ...options,
  })
  const leg = (amount: bigint): Leg => ({
    debitAccountId: alice,
    creditAccountId: bob,
    ledger: ledgerNumber,
    amount,
  })
  const balances = async () => {
    const found = await ledger.getBalances([alice, bob])
    const of = (id: string) => {
      const b = found.get(id)
      if (!b) throw new Error('no account')
      return { posted: b.creditsPosted - b.debitsPosted, held: b.debitsPending }
    }
    return { alice: of(alice), bob: of(bob) }
  }
  return { clock, ledger, reservations, leg, balances, alice, bob }
}

/** Waits until the reservations have released every chunk (no hold left on alice). */
const settled = async (balances: () => Promise<{ alice: { held: bigint } }>) =>
  vi.waitFor(async () => expect((await balances()).alice.held).toBe(0n), { timeout: 2_000 })

describe('liquidity reservations', () => {
  it('moves exactly what fulfilled packets carried and gives back what rejected ones held', async () => {
    const t = await setup(1_000n)
    const fulfilled = await Promise.all(
      [10n, 20n, 30n].map((a) => t.reservations.reserve([t.leg(a)])),
    )
    const rejected = await Promise.all([40n, 50n].map((a) => t.reservations.reserve([t.leg(a)])))
    for (const r of rejected) t.reservations.release(r!)
    await Promise.all(fulfilled.map((r) => t.reservations.settle(r!)))
    await settled(t.balances)
    expect(await t.balances()).toEqual({
      alice: { posted: 940n, held: 0n },
      bob: { posted: 60n, held: 0n },
    })
  })

  it('never lends more than the balance, however many packets ask at once', async () => {
    const t = await setup(100n)
    const asked = await Promise.all(
      Array.from({ length: 25 }, () => t.reservations.reserve([t.leg(10n)])),
    )
    const granted = asked.filter((r) => r !== undefined)
    expect(granted).toHaveLength(10)
    expect((await t.balances()).alice.held).toBeLessThanOrEqual(100n)
    // Room freed by a rejected packet is lent again; a settled one's is gone for good.
    t.reservations.release(granted[0]!)
    const again = await t.reservations.reserve([t.leg(10n)])
    expect(again).toBeDefined()
    await Promise.all(granted.slice(1).map((r) => t.reservations.settle(r!)))
    expect(await t.reservations.reserve([t.leg(20n)])).toBeUndefined()
    t.reservations.release(again!)
    await settled(t.balances)
    expect((await t.balances()).alice.posted).toBe(10n)
  })

  it('admits, first come first served, the waiting packets the balance still covers', async () => {
    const t = await setup(100n)
    const asked = await Promise.all(
      [60n, 30n, 20n, 10n].map((a) => t.reservations.reserve([t.leg(a)])),
    )
    expect(asked.map((r) => r !== undefined)).toEqual([true, true, false, true])
  })

  it('reserves every leg of a packet or none', async () => {
    const t = await setup(100n)
    const [carol] = [randomIds.uuid()]
    await t.ledger.createAccounts([{ id: carol, ledger: ledgerNumber, kind: 'PEER' }])
    const broke: Leg = {
      debitAccountId: carol,
      creditAccountId: t.bob,
      ledger: ledgerNumber,
      amount: 5n,
    }
    expect(await t.reservations.reserve([t.leg(50n), broke])).toBeUndefined()
    await settled(t.balances)
    expect(await t.reservations.reserve([t.leg(100n)])).toBeDefined()
  })

  it('answers a settle only once the ledger has recorded it', async () => {
    const t = await setup(1_000n)
    let gate: (() => void) | undefined
    const slow: Ledger = {
      ...t.ledger,
      async transfer(batch, options) {
        if (batch.some((x) => x.type === 'single')) await new Promise<void>((r) => (gate = r))
        return t.ledger.transfer(batch, options)
      },
    }
    const reservations = makeLiquidityReservations({
      ledger: slow,
      ids: randomIds,
      clock: t.clock,
      logger: silent,
      holdWindowMsMax: 30_000,
      lingerMs: 0,
    })
    const reservation = await reservations.reserve([t.leg(25n)])
    let done = false
    const settling = reservations.settle(reservation!).then(() => (done = true))
    await vi.waitFor(() => expect(gate).toBeDefined())
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(done).toBe(false)
    expect((await t.balances()).bob.posted).toBe(0n)
    gate?.()
    await settling
    expect((await t.balances()).bob.posted).toBe(25n)
  })

  it('records a settle once when the ledger applied it but the answer was lost', async () => {
    const t = await setup(1_000n)
    const seen: (readonly TransferRequest[])[] = []
    let lose = true
    const flaky: Ledger = {
      ...t.ledger,
      async transfer(batch, options) {
        seen.push(batch)
        const result = await t.ledger.transfer(batch, options)
        if (lose && batch.some((x) => x.type === 'single')) {
          lose = false
          throw new Error('connection reset')
        }
        return result
      },
    }
    const reservations = makeLiquidityReservations({
      ledger: flaky,
      ids: randomIds,
      clock: t.clock,
      logger: silent,
      holdWindowMsMax: 30_000,
      lingerMs: 0,
      retryDelayMs: 1,
    })
    const reservation = await reservations.reserve([t.leg(25n)])
    // The Fulfill goes back even though the ledger call failed: the money already left.
    await reservations.settle(reservation!)
    await settled(t.balances)
    expect(await t.balances()).toEqual({
      alice: { posted: 975n, held: 0n },
      bob: { posted: 25n, held: 0n },
    })
    const singles = seen.filter((batch) => batch.some((x) => x.type === 'single'))
    expect(singles.length).toBe(2)
    expect(singles[1]).toEqual(singles[0])
  })

  it('lends, while a flush is out, only what the chunk replacing it will hold', async () => {
    const t = await setup(1_000n)
    let gate: Promise<void> | undefined = undefined
    let open: () => void = () => {}
    let waiting = 0
    let lent = 0
    // Right after each ledger call: what the ledger holds against what has been lent out.
    const seen: { held: bigint; lent: number }[] = []
    const gated: Ledger = {
      ...t.ledger,
      async transfer(batch, options) {
        if (gate) waiting += 1
        await gate
        const result = await t.ledger.transfer(batch, options)
        seen.push({ held: (await t.balances()).alice.held, lent })
        return result
      },
    }
    const reservations = makeLiquidityReservations({
      ledger: gated,
      ids: randomIds,
      clock: t.clock,
      logger: silent,
      holdWindowMsMax: 30_000,
      lingerMs: 60_000,
    })
    // A busy moment leaves a big chunk behind; then the leg quiets down to one packet.
    const busy = await Promise.all(
      Array.from({ length: 40 }, () => reservations.reserve([t.leg(1n)])),
    )
    busy.slice(0, 38).forEach((r) => reservations.release(r!))
    await reservations.settle(busy[38]!)
    gate = new Promise<void>((resolve) => (open = resolve))
    // This flush sizes the next chunk for a quiet leg; packets arriving meanwhile must not be
    // lent the old, bigger chunk's room, which the ledger is about to release.
    const settling = reservations.settle(busy[39]!)
    await vi.waitFor(() => expect(waiting).toBe(1))
    const burst = Array.from({ length: 30 }, () =>
      reservations.reserve([t.leg(1n)]).then((r) => {
        if (r !== undefined) lent += 1
        return r
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    open()
    await settling
    const granted = await Promise.all(burst)
    expect(granted.every((r) => r !== undefined)).toBe(true)
    expect(seen.length).toBeGreaterThan(0)
    for (const moment of seen) expect(moment.held).toBeGreaterThanOrEqual(BigInt(moment.lent))
  })

  it('moves earnings beside the chunk when the account holds more than the chunk', async () => {
    const t = await setup(1_000_000n)
    const batches: string[] = []
    const recording: Ledger = {
      ...t.ledger,
      transfer(batch, options) {
        batches.push(batch.map((x) => x.type).join('+'))
        return t.ledger.transfer(batch, options)
      },
    }
    const reservations = makeLiquidityReservations({
      ledger: recording,
      ids: randomIds,
      clock: t.clock,
      logger: silent,
      holdWindowMsMax: 30_000,
      lingerMs: 0,
    })
    const first = await reservations.reserve([t.leg(10n)])
    const second = await reservations.reserve([t.leg(10n)])
    await reservations.settle(first!)
    // The chunk still backs the packet in flight; only the earnings moved.
    expect(batches).toEqual(['pending', 'single'])
    await reservations.settle(second!)
    await settled(t.balances)
    expect(await t.balances()).toEqual({
      alice: { posted: 1_000_000n - 20n, held: 0n },
      bob: { posted: 20n, held: 0n },
    })
  })

  it('replaces a chunk too old to outlive a new packet, carrying the packets in flight', async () => {
    const t = await setup(1_000n)
    const first = await t.reservations.reserve([t.leg(10n)])
    const heldBefore = (await t.balances()).alice.held
    t.clock.advance(35_000)
    const second = await t.reservations.reserve([t.leg(10n)])
    expect(second).toBeDefined()
    t.clock.advance(35_000)
    // The first chunk would have expired by now; the one carrying both packets has not.
    await t.reservations.settle(first!)
    await t.reservations.settle(second!)
    await settled(t.balances)
    expect(heldBefore).toBeGreaterThanOrEqual(10n)
    expect((await t.balances()).bob.posted).toBe(20n)
  })

  it('keeps a quiet leg’s chunk for lingerMs, then releases it', async () => {
    const t = await setup(1_000n, { lingerMs: 50 })
    const reservation = await t.reservations.reserve([t.leg(10n)])
    await t.reservations.settle(reservation!)
    expect((await t.balances()).alice.held).toBeGreaterThan(0n)
    await settled(t.balances)
    expect((await t.balances()).alice.posted).toBe(990n)
  })

  it('close records what was earned and releases every chunk', async () => {
    const t = await setup(1_000n, { lingerMs: 60_000 })
    const a = await t.reservations.reserve([t.leg(10n)])
    const b = await t.reservations.reserve([t.leg(15n)])
    const settling = t.reservations.settle(a!)
    t.reservations.release(b!)
    await settling
    await t.reservations.close()
    expect(await t.balances()).toEqual({
      alice: { posted: 990n, held: 0n },
      bob: { posted: 10n, held: 0n },
    })
    await expect(t.reservations.reserve([t.leg(1n)])).rejects.toThrow(/closed/)
  })

  it.each([7, 11, 23, 42])(
    'under random load with a slow ledger (seed %i), settles exactly what was fulfilled and never over-lends',
    async (initialSeed) => {
      const funding = 500n
      const t = await setup(funding)
      let seed = initialSeed
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
        return seed / 2 ** 31
      }
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
      const slow: Ledger = {
        ...t.ledger,
        async transfer(batch, options) {
          await pause(random() * 3)
          return t.ledger.transfer(batch, options)
        },
      }
      const errors: unknown[] = []
      const reservations = makeLiquidityReservations({
        ledger: slow,
        ids: randomIds,
        clock: t.clock,
        logger: { ...silent, error: (fields, message) => errors.push({ fields, message }) },
        holdWindowMsMax: 30_000,
        lingerMs: 1,
      })
      let settledTotal = 0n
      let refused = 0
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 40; i += 1) {
            const amount = BigInt(1 + Math.floor(random() * 20))
            const reservation = await reservations.reserve([t.leg(amount)])
            if (reservation === undefined) {
              refused += 1
              continue
            }
            await pause(random() * 2)
            if (random() < 0.7) {
              await reservations.settle(reservation)
              settledTotal += amount
            } else {
              reservations.release(reservation)
            }
          }
        }),
      )
      await reservations.close()
      expect(
        JSON.stringify(errors, (_, v) =>
          typeof v === 'bigint' ? String(v) : v instanceof Error ? v.message : v,
        ),
      ).toBe('[]')
      expect(refused).toBeGreaterThan(0)
      expect(await t.balances()).toEqual({
        alice: { posted: funding - settledTotal, held: 0n },
        bob: { posted: settledTotal, held: 0n },
      })
    },
  )
})
