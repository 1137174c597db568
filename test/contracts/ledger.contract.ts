import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ledger } from '../../application/ports/ledger.ts'
import {
  availableLiquidity,
  type LedgerAccountKind,
  type AccountBalance,
} from '../../domain/ledger/account.ts'
import type { TransferRequest } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { uint64Max } from '../../domain/shared/uint64.ts'
import { runLedgerWorkload, sumPostedBalances } from './ledger-workload.ts'

export type LedgerFixture = {
  readonly ledger: Ledger
  /** Moves the adapter's clock; without it the suite waits in real time. */
  readonly advance?: (ms: number) => Promise<void>
  close(): Promise<void>
}

// Real-time adapters (SQL, TigerBeetle) wait out a 1 s timeout; the margin covers a clock that
// decides expiry a little after the caller's.
const timeoutSeconds = 1
const expiryWaitMs = 1_500
const longTimeoutSeconds = 3_600
const concurrentDebits = 200

const uuid = () => crypto.randomUUID()

/** Every Ledger adapter passes this suite; make() returns a ledger that may hold other data. */
export function runLedgerContract(name: string, make: () => Promise<LedgerFixture>): void {
  describe(`Ledger contract: ${name}`, () => {
    let fixture: LedgerFixture
    let ledger: Ledger
    // Tests share one ledger; each takes ledger numbers of its own, far from the assets' ones.
    let lastLedger = 1_000_000 + Math.floor(Math.random() * 1_000_000)
    const newLedger = () => (lastLedger += 1)
    const elapse = async (ms: number) => {
      if (fixture.advance) await fixture.advance(ms)
      else await new Promise((resolve) => setTimeout(resolve, ms))
    }

    /** A ledger with a settlement account and liquidity accounts, each funded as asked. */
    const books = async (funding: readonly bigint[], kind: LedgerAccountKind = 'PEER') => {
      const number = newLedger()
      const settlement = uuid()
      const accounts = funding.map(() => uuid())
      const created = await ledger.createAccounts([
        { id: settlement, ledger: number, kind: 'SETTLEMENT' },
        ...accounts.map((id) => ({ id, ledger: number, kind })),
      ])
      expect(created).toEqual({ ok: true, value: undefined })
      for (const [i, amount] of funding.entries()) {
        if (amount > 0n) await ok(single(settlement, accounts[i] ?? '', amount, number))
      }
      return { number, settlement, accounts: accounts as [string, ...string[]] }
    }
    const ok = async (...batch: TransferRequest[]) =>
      expect(await ledger.transfer(batch)).toEqual({ ok: true, value: 'created' })
    const fails = async (index: number, error: string, ...batch: TransferRequest[]) =>
      expect(await ledger.transfer(batch)).toEqual({ ok: false, error: { index, error } })
    const balance = async (id: string): Promise<AccountBalance> => {
      const found = (await ledger.getBalances([id])).get(id)
      assert(found !== undefined, `no balance for ${id}`)
      return found
    }
    const balances = async (...ids: string[]) => Promise.all(ids.map(balance))

    beforeAll(async () => {
      fixture = await make()
      ledger = fixture.ledger
    })
    afterAll(async () => {
      await fixture?.close()
    })

    it('creates accounts idempotently and refuses one changed', async () => {
      const number = newLedger()
      const [a, b, c] = [uuid(), uuid(), uuid()]
      const accounts = [
        { id: a, ledger: number, kind: 'PEER' as const },
        { id: b, ledger: number, kind: 'SETTLEMENT' as const },
      ]
      expect(await ledger.createAccounts(accounts)).toEqual({ ok: true, value: undefined })
      expect(await ledger.createAccounts(accounts)).toEqual({ ok: true, value: undefined })
      expect(
        await ledger.createAccounts([
          { id: c, ledger: number, kind: 'ASSET' },
          { id: a, ledger: number, kind: 'ASSET' },
        ]),
      ).toEqual({ ok: false, error: { index: 1, error: 'exists_with_different_fields' } })
      expect(
        await ledger.createAccounts([{ id: b, ledger: number + 1, kind: 'SETTLEMENT' }]),
      ).toEqual({ ok: false, error: { index: 0, error: 'exists_with_different_fields' } })
      const found = await ledger.getBalances([a, b, uuid(), 'not-a-uuid'])
      expect([...found.keys()].sort()).toEqual([a, b].sort())
      expect(found.get(a)).toEqual(zero)
    })

    it('moves money with a single transfer; each ledger sums to zero', async () => {
      const { number, settlement, accounts } = await books([100n, 0n])
      const [alice, bob] = accounts
      await ok(single(alice, bob ?? '', 30n, number))
      expect(await balances(settlement, alice, bob ?? '')).toEqual([
        { ...zero, debitsPosted: 100n },
        { ...zero, creditsPosted: 100n, debitsPosted: 30n },
        { ...zero, creditsPosted: 30n },
      ])
      const all = await ledger.getBalances([settlement, ...accounts])
      expect(sumPostedBalances([...all.values()])).toBe(0n)
    })

    it('is idempotent on the transfer id', async () => {
      const { number, accounts } = await books([100n, 0n])
      const [alice, bob = ''] = accounts
      const first = single(alice, bob, 10n, number)
      await ok(first)
      expect(await ledger.transfer([first])).toEqual({ ok: true, value: 'exists' })
      expect(await ledger.transfer([{ ...first }, { ...first }])).toEqual({
        ok: true,
        value: 'exists',
      })
      await fails(0, 'exists_with_different_fields', { ...first, amount: 11n })
      await fails(0, 'exists_with_different_fields', { ...first, type: 'pending', timeoutSeconds })
      await fails(0, 'exists_with_different_fields', {
        type: 'void',
        id: first.id,
        pendingId: uuid(),
      })
      // A retried batch whose other transfer is new applies just that one.
      expect(await ledger.transfer([first, single(alice, bob, 5n, number)])).toEqual({
        ok: true,
        value: 'created',
      })
      expect(await balances(alice, bob)).toEqual([
        { ...zero, creditsPosted: 100n, debitsPosted: 15n },
        { ...zero, creditsPosted: 15n },
      ])
    })

    it('refuses to overdraw a liquidity account, held amounts included', async () => {
      const { number, accounts } = await books([50n, 0n])
      const [alice, bob = ''] = accounts
      await fails(0, 'insufficient_balance', single(alice, bob, 51n, number))
      await ok(pending(alice, bob, 20n, number, longTimeoutSeconds))
      await fails(0, 'insufficient_balance', single(alice, bob, 31n, number))
      await ok(single(alice, bob, 30n, number))
      await fails(0, 'insufficient_balance', single(alice, bob, 1n, number))
      expect(availableLiquidity(await balance(alice))).toBe(0n)
    })

    it('refuses to credit a settlement account beyond its debits (the mirror rule)', async () => {
      const { number, accounts } = await books([100n, 0n])
      const [alice, bob = ''] = accounts
      // A second settlement account, so that alice can pay more than it may be credited.
      const other = uuid()
      await ledger.createAccounts([{ id: other, ledger: number, kind: 'SETTLEMENT' }])
      await fails(0, 'insufficient_balance', single(alice, other, 1n, number))
      await ok(single(other, bob, 50n, number))
      await fails(0, 'insufficient_balance', pending(alice, other, 51n, number, longTimeoutSeconds))
      await ok(pending(alice, other, 30n, number, longTimeoutSeconds))
      await fails(0, 'insufficient_balance', single(alice, other, 21n, number))
      await ok(single(alice, other, 20n, number))
      expect(await balance(other)).toEqual({
        ...zero,
        debitsPosted: 50n,
        creditsPosted: 20n,
        creditsPending: 30n,
      })
      expect(await balance(alice)).toEqual({
        ...zero,
        creditsPosted: 100n,
        debitsPosted: 20n,
        debitsPending: 30n,
      })
    })

    it('refuses malformed and misaddressed transfers, naming the index', async () => {
      const { number, settlement, accounts } = await books([100n])
      const [alice] = accounts
      const elsewhere = await books([10n])
      const good = single(settlement, alice, 1n, number)
      await fails(0, 'unknown_account', single(alice, uuid(), 1n, number))
      await fails(0, 'unknown_account', single(uuid(), alice, 1n, number))
      await fails(0, 'different_ledgers', single(alice, elsewhere.accounts[0], 1n, number))
      await fails(0, 'different_ledgers', single(settlement, alice, 1n, elsewhere.number))
      await fails(1, 'same_account', good, single(alice, alice, 1n, number))
      await fails(0, 'invalid_amount', single(settlement, alice, 0n, number))
      await fails(0, 'invalid_amount', single(settlement, alice, uint64Max + 1n, number))
      await fails(0, 'invalid_id', { ...good, id: 'not-a-uuid' })
      await fails(0, 'invalid_timeout', { ...good, type: 'pending' })
      await ok(single(settlement, alice, uint64Max - 100n, number))
      expect(await balance(alice)).toEqual({ ...zero, creditsPosted: uint64Max })
    })

    it('posts, voids and refuses a second resolution', async () => {
      const { number, accounts } = await books([100n, 0n])
      const [alice, bob = ''] = accounts
      const held = pending(alice, bob, 40n, number, longTimeoutSeconds)
      const other = pending(alice, bob, 25n, number, longTimeoutSeconds)
      await ok(held, other)
      expect(await balances(alice, bob)).toEqual([
        { ...zero, creditsPosted: 100n, debitsPending: 65n },
        { ...zero, creditsPending: 65n },
      ])
      const post = resolve('post', held.id)
      await ok(post)
      expect(await ledger.transfer([post])).toEqual({ ok: true, value: 'exists' })
      await ok(resolve('void', other.id))
      expect(await balances(alice, bob)).toEqual([
        { ...zero, creditsPosted: 100n, debitsPosted: 40n },
        { ...zero, creditsPosted: 40n },
      ])
      await fails(0, 'already_posted', resolve('post', held.id))
      await fails(0, 'already_posted', resolve('void', held.id))
      await fails(0, 'already_voided', resolve('post', other.id))
      await fails(0, 'already_voided', resolve('void', other.id))
      await fails(0, 'unknown_pending_transfer', resolve('post', uuid()))
      const plain = single(alice, bob, 1n, number)
      await ok(plain)
      await fails(0, 'unknown_pending_transfer', resolve('void', plain.id))
    })

    it('applies deferred holds and voids at once, and posts them durably', async () => {
      const { number, accounts } = await books([100n, 0n])
      const [alice, bob = ''] = accounts
      const deferred = { durability: 'deferred' } as const
      const held = pending(alice, bob, 30n, number, longTimeoutSeconds)
      const dropped = pending(alice, bob, 70n, number, longTimeoutSeconds)
      expect(await ledger.transfer([held], deferred)).toEqual({ ok: true, value: 'created' })
      expect(await ledger.transfer([dropped], deferred)).toEqual({ ok: true, value: 'created' })
      // Visible to everyone at once: the hold already counts against the balance.
      await fails(0, 'insufficient_balance', single(alice, bob, 1n, number))
      expect(await ledger.transfer([resolve('void', dropped.id)], deferred)).toEqual({
        ok: true,
        value: 'created',
      })
      const post = resolve('post', held.id)
      expect(await ledger.transfer([post], { durability: 'immediate' })).toEqual({
        ok: true,
        value: 'created',
      })
      expect(await balances(alice, bob)).toEqual([
        { ...zero, creditsPosted: 100n, debitsPosted: 30n },
        { ...zero, creditsPosted: 30n },
      ])
    })

    it('releases an expired hold, which can then only be voided', async () => {
      const { number, accounts } = await books([100n, 0n])
      const [alice, bob = ''] = accounts
      const first = pending(alice, bob, 60n, number, timeoutSeconds)
      const second = pending(alice, bob, 40n, number, timeoutSeconds)
      await ok(first, second)
      await fails(0, 'insufficient_balance', single(alice, bob, 1n, number))
      await elapse(expiryWaitMs)
      expect(await balances(alice, bob)).toEqual([{ ...zero, creditsPosted: 100n }, { ...zero }])
      await fails(0, 'expired', resolve('post', first.id))
      await ok(resolve('void', first.id))
      await fails(0, 'already_voided', resolve('void', first.id))
      await fails(0, 'already_voided', resolve('post', first.id))
      // The released amount can be spent again, the second hold's too.
      await ok(single(alice, bob, 100n, number))
      await ok(resolve('void', second.id))
      await fails(0, 'already_voided', resolve('post', second.id))
      expect(await balances(alice, bob)).toEqual([
        { ...zero, creditsPosted: 100n, debitsPosted: 100n },
        { ...zero, creditsPosted: 100n },
      ])
      const history = await ledger.getAccountTransfers(alice, 10)
      const states = new Map(history.debits.map((record) => [record.id, record.state]))
      expect(states.get(first.id)).toBe('VOIDED')
      expect(states.get(second.id)).toBe('VOIDED')
    })

    it('applies a linked batch all or nothing, in order', async () => {
      const { number, accounts } = await books([100n, 0n, 0n])
      const [alice, bob = '', carol = ''] = accounts
      // bob only has what the first transfer gives him.
      await ok(single(alice, bob, 30n, number), single(bob, carol, 30n, number))
      await fails(
        1,
        'insufficient_balance',
        single(alice, bob, 10n, number),
        single(bob, carol, 11n, number),
      )
      const held = pending(alice, carol, 5n, number, longTimeoutSeconds)
      await ok(held, resolve('post', held.id))
      const refused = pending(alice, carol, 5n, number, longTimeoutSeconds)
      await fails(
        2,
        'already_posted',
        refused,
        resolve('void', refused.id),
        resolve('post', held.id),
      )
      await fails(0, 'unknown_pending_transfer', resolve('void', refused.id))
      expect(await balances(alice, bob, carol)).toEqual([
        { ...zero, creditsPosted: 100n, debitsPosted: 35n },
        { ...zero, creditsPosted: 30n, debitsPosted: 30n },
        { ...zero, creditsPosted: 35n },
      ])
    })

    it('pays across currencies with one transfer on each ledger, or neither', async () => {
      const usd = await books([100n, 0n], 'ASSET')
      const eur = await books([0n, 50n], 'ASSET')
      const [sender, usdLiquidity = ''] = usd.accounts
      const [receiver, eurLiquidity = ''] = eur.accounts
      await ok(
        single(sender, usdLiquidity, 20n, usd.number),
        single(eurLiquidity, receiver, 18n, eur.number),
      )
      await fails(
        1,
        'insufficient_balance',
        single(sender, usdLiquidity, 80n, usd.number),
        single(eurLiquidity, receiver, 33n, eur.number),
      )
      expect(await balances(sender, usdLiquidity, receiver, eurLiquidity)).toEqual([
        { ...zero, creditsPosted: 100n, debitsPosted: 20n },
        { ...zero, creditsPosted: 20n },
        { ...zero, creditsPosted: 18n },
        { ...zero, creditsPosted: 50n, debitsPosted: 18n },
      ])
      for (const side of [usd, eur]) {
        const all = await ledger.getBalances([side.settlement, ...side.accounts])
        expect(sumPostedBalances([...all.values()])).toBe(0n)
      }
    })

    it(`lets exactly 100 of ${concurrentDebits} concurrent debits of 10 through 1000`, async () => {
      const { number, accounts } = await books([1_000n, 0n])
      const [alice, bob = ''] = accounts
      let running = true
      const observed: bigint[] = []
      const poll = (async () => {
        while (running) observed.push(availableLiquidity(await balance(alice)))
      })()
      const results = await Promise.all(
        Array.from({ length: concurrentDebits }, () =>
          ledger.transfer([single(alice, bob, 10n, number)]),
        ),
      )
      running = false
      await poll
      expect(results.filter((result) => result.ok)).toHaveLength(100)
      expect(results.filter((r) => !r.ok && r.error.error === 'insufficient_balance')).toHaveLength(
        100,
      )
      expect(await balances(alice, bob)).toEqual([
        { ...zero, creditsPosted: 1_000n, debitsPosted: 1_000n },
        { ...zero, creditsPosted: 1_000n },
      ])
      expect(observed.length).toBeGreaterThan(0)
      expect(observed.filter((available) => available < 0n)).toEqual([])
    })

    it("lists an account's debits and credits newest first, limited", async () => {
      const { number, settlement, accounts } = await books([100n, 0n])
      const [alice, bob = ''] = accounts
      const sent = [single(alice, bob, 1n, number), single(alice, bob, 2n, number)]
      for (const transfer of sent) await ok(transfer)
      const held = pending(bob, alice, 3n, number, longTimeoutSeconds)
      await ok(held)
      const post = resolve('post', held.id)
      await ok(post)
      const history = await ledger.getAccountTransfers(alice, 2)
      expect(history.debits.map((record) => record.id)).toEqual([sent[1]?.id, sent[0]?.id])
      expect(history.credits.map((record) => record.id)).toEqual([post.id, held.id])
      expect(history.credits[0]).toMatchObject({
        type: 'post',
        state: 'POSTED',
        pendingId: held.id,
        amount: 3n,
        ledger: number,
        debitAccountId: bob,
        creditAccountId: alice,
        expiresAt: null,
      })
      expect(history.credits[1]).toMatchObject({
        type: 'pending',
        state: 'POSTED',
        pendingId: null,
      })
      expect(history.credits[1]?.expiresAt).toBeInstanceOf(Date)
      expect(history.debits[0]).toMatchObject({
        type: 'single',
        state: 'POSTED',
        amount: 2n,
        debitAccountId: alice,
        creditAccountId: bob,
      })
      expect(history.debits[0]?.createdAt).toBeInstanceOf(Date)
      const all = await ledger.getAccountTransfers(alice, 10)
      expect(all.credits.map((record) => record.amount)).toEqual([3n, 3n, 100n])
      expect(all.credits[2]?.debitAccountId).toBe(settlement)
      expect(await ledger.getAccountTransfers(uuid(), 10)).toEqual({ debits: [], credits: [] })
    })

    it('keeps every ledger at zero and no account overdrawn under a random workload', async () => {
      const report = await runLedgerWorkload(ledger, {
        seed: 0x5eed,
        ledgers: [newLedger(), newLedger(), newLedger()],
      })
      expect(report.requests).toBe(10_000)
      expect(report.mismatches).toEqual([])
      expect(report.violations).toEqual([])
      for (const sum of report.ledgerSums) expect(sum).toBe(0n)
      // The mix must exercise both sides: many transfers applied, many refused.
      expect(report.created).toBeGreaterThan(4_000)
      expect(report.refused).toBeGreaterThan(200)
      expect(report.existing).toBeGreaterThan(100)
    }, 120_000)
  })
}

const zero: AccountBalance = {
  debitsPending: 0n,
  debitsPosted: 0n,
  creditsPending: 0n,
  creditsPosted: 0n,
}

type NewTransfer = Extract<TransferRequest, { readonly debitAccountId: string }>

export function single(debit: string, credit: string, amount: bigint, ledger: number): NewTransfer {
  return {
    type: 'single',
    id: uuid(),
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    ledger,
  }
}

export function pending(
  debit: string,
  credit: string,
  amount: bigint,
  ledger: number,
  timeout: number,
): NewTransfer {
  return {
    type: 'pending',
    id: uuid(),
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    ledger,
    timeoutSeconds: timeout,
  }
}

export function resolve(type: 'post' | 'void', pendingId: string): TransferRequest {
  return { type, id: uuid(), pendingId }
}
