import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAsset } from '../support/seed.ts'
import type { PageRequest } from '../../domain/pagination/page.ts'
import type { AdditionalProperty } from '../../domain/wallet-addresses/wallet-address.ts'
import type { Jwk } from '../../domain/wallet-addresses/wallet-address-key.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import type { WalletAddressKeyRepository } from '../../application/ports/wallet-address-key-repository.ts'
import type { WalletAddressRepository } from '../../application/ports/wallet-address-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type WalletAddressRepositoryFixture = {
  readonly walletAddresses: WalletAddressRepository
  readonly keys: WalletAddressKeyRepository
  /** Wallet addresses reference assets, so the suite creates some. */
  readonly assets: AssetRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)
const x = 'Ek7Qn1JwbLx1m9xF3ZbJq0cX2YwQy7Vd0u8y0m4Zl2A'
const jwk = (kid: string): Jwk => ({ kid, x, alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' })
const forward = (sortOrder: 'ASC' | 'DESC', cursor?: string): PageRequest => ({
  limit: 2,
  cursor,
  direction: 'forward',
  sortOrder,
})

/** Every WalletAddressRepository and WalletAddressKeyRepository adapter behaves like this. */
export function runWalletAddressRepositoryContract(
  name: string,
  make: () => Promise<WalletAddressRepositoryFixture>,
): void {
  describe(`WalletAddressRepository contract: ${name}`, () => {
    let fixture: WalletAddressRepositoryFixture
    let assetId: string
    let sequence = 0
    const at = () => new Date(base + (sequence += 1) * 1000)
    // Each test uses its own URLs so tests stay independent on one shared database.
    const newAddress = (path: string, properties: readonly AdditionalProperty[] = []) => ({
      id: randomIds.uuid(),
      url: `https://wallet.example/${path}`,
      assetId,
      publicName: null,
      additionalProperties: properties,
      createdAt: at(),
    })
    const create = async (path: string, properties: readonly AdditionalProperty[] = []) => {
      const created = await fixture.walletAddresses.create(newAddress(path, properties))
      if (!created.ok) throw new Error(`could not create ${path}`)
      return created.value
    }

    beforeAll(async () => {
      fixture = await make()
      assetId = (await seedAsset(fixture.assets, new Date(base))).id
    })
    afterAll(async () => {
      await fixture?.close()
    })

    it('creates an ACTIVE wallet address and reads it back by id and url', async () => {
      const properties = [
        { key: 'iban', value: 'NL91 ABNA 0417 1643 00', visibleInOpenPayments: false },
        { key: 'name', value: 'Zoë “Z” 🐝', visibleInOpenPayments: true },
      ]
      const created = await create('read/alice', properties)
      expect(created).toMatchObject({
        url: 'https://wallet.example/read/alice',
        assetId,
        publicName: null,
        status: 'ACTIVE',
        additionalProperties: properties,
        deactivatedAt: null,
      })
      expect(created.updatedAt).toEqual(created.createdAt)
      expect(await fixture.walletAddresses.getById(created.id)).toEqual(created)
      expect(await fixture.walletAddresses.getByUrl(created.url)).toEqual(created)
      expect(await fixture.walletAddresses.getByUrl(`${created.url}/x`)).toBeUndefined()
      expect(await fixture.walletAddresses.getById(randomIds.uuid())).toBeUndefined()
    })

    it('refuses a duplicate url, also when created concurrently', async () => {
      await create('dup/bob')
      expect(await fixture.walletAddresses.create(newAddress('dup/bob'))).toEqual({
        ok: false,
        error: 'duplicate_url',
      })
      const results = await Promise.all(
        Array.from({ length: 10 }, () => fixture.walletAddresses.create(newAddress('dup/race'))),
      )
      expect(results.filter((result) => result.ok)).toHaveLength(1)
    })

    it('updates only the fields given, replacing properties whole', async () => {
      const created = await create('upd/carol', [
        { key: 'a', value: '1', visibleInOpenPayments: true },
      ])
      const updatedAt = at()
      const named = await fixture.walletAddresses.update(created.id, { publicName: 'C' }, updatedAt)
      expect(named?.walletAddress).toMatchObject({
        publicName: 'C',
        additionalProperties: created.additionalProperties,
        status: 'ACTIVE',
        updatedAt,
      })
      const replaced = await fixture.walletAddresses.update(
        created.id,
        { additionalProperties: [{ key: 'b', value: '2', visibleInOpenPayments: false }] },
        at(),
      )
      expect(replaced?.walletAddress).toMatchObject({
        publicName: 'C',
        additionalProperties: [{ key: 'b', value: '2', visibleInOpenPayments: false }],
      })
      const cleared = await fixture.walletAddresses.update(
        created.id,
        { publicName: null, additionalProperties: [] },
        at(),
      )
      expect(cleared?.walletAddress).toMatchObject({ publicName: null, additionalProperties: [] })
      expect(await fixture.walletAddresses.getById(created.id)).toEqual(cleared?.walletAddress)
      expect(await fixture.walletAddresses.update(randomIds.uuid(), {}, at())).toBeUndefined()
    })

    it('moves deactivatedAt with the status and reports the previous status', async () => {
      const created = await create('status/dave')
      const deactivatedAt = at()
      const off = await fixture.walletAddresses.update(
        created.id,
        { status: 'INACTIVE' },
        deactivatedAt,
      )
      expect(off).toMatchObject({ previousStatus: 'ACTIVE' })
      expect(off?.walletAddress).toMatchObject({ status: 'INACTIVE', deactivatedAt })
      const again = await fixture.walletAddresses.update(created.id, { status: 'INACTIVE' }, at())
      expect(again).toMatchObject({ previousStatus: 'INACTIVE' })
      expect(again?.walletAddress.deactivatedAt).toEqual(deactivatedAt)
      const renamed = await fixture.walletAddresses.update(created.id, { publicName: 'D' }, at())
      expect(renamed?.walletAddress).toMatchObject({ status: 'INACTIVE', deactivatedAt })
      const on = await fixture.walletAddresses.update(created.id, { status: 'ACTIVE' }, at())
      expect(on).toMatchObject({ previousStatus: 'INACTIVE' })
      expect(on?.walletAddress).toMatchObject({ status: 'ACTIVE', deactivatedAt: null })
    })

    it('loses no change when different fields are updated concurrently', async () => {
      const created = await create('concurrent/erin')
      const properties = [{ key: 'k', value: 'v', visibleInOpenPayments: true }]
      await Promise.all([
        fixture.walletAddresses.update(created.id, { publicName: 'E' }, at()),
        fixture.walletAddresses.update(created.id, { status: 'INACTIVE' }, at()),
        fixture.walletAddresses.update(created.id, { additionalProperties: properties }, at()),
      ])
      expect(await fixture.walletAddresses.getById(created.id)).toMatchObject({
        publicName: 'E',
        status: 'INACTIVE',
        additionalProperties: properties,
      })
    })

    it('pages in both sort orders without gaps or repeats; refuses an unknown cursor', async () => {
      const before = await collect(fixture.walletAddresses, 'ASC')
      for (let i = 0; i < 5; i += 1) await create(`page/${i}`)
      const asc = await collect(fixture.walletAddresses, 'ASC')
      expect(asc).toHaveLength(before.length + 5)
      expect(await collect(fixture.walletAddresses, 'DESC')).toEqual([...asc].reverse())
      expect(await fixture.walletAddresses.list(forward('ASC', randomIds.uuid()))).toEqual({
        ok: false,
        error: 'unknown_cursor',
      })
    })

    it('tells whether an asset is in use', async () => {
      await create('used/frank')
      expect(await fixture.walletAddresses.existsWithAsset(assetId)).toBe(true)
      expect(await fixture.walletAddresses.existsWithAsset(randomIds.uuid())).toBe(false)
    })

    runKeyCases(() => ({ fixture, create, at }))
    runScheduleCases(() => ({ fixture, create, at }))
  })
}

function runScheduleCases(context: () => KeyContext): void {
  // Later than every createdAt of the suite; each case schedules its own wallet addresses.
  const t0 = Date.UTC(2030, 0, 1)
  const when = (ms: number) => new Date(t0 + ms)
  const dueOf = async (id: string, nowMs: number) => {
    const due = await context().fixture.walletAddresses.listDueForEvents(when(nowMs), 100)
    return due.find((d) => d.walletAddress.id === id)
  }

  it('schedules reports, the earliest request winning, and lists the due ones', async () => {
    const { fixture, create } = context()
    const walletAddresses = fixture.walletAddresses
    const a = await create('wm/a')
    const b = await create('wm/b')
    expect(await walletAddresses.scheduleEvents(a.id, when(5000))).toBe(true)
    expect(await walletAddresses.scheduleEvents(a.id, when(9000))).toBe(true)
    expect(await walletAddresses.scheduleEvents(b.id, when(1000))).toBe(true)
    expect(await walletAddresses.scheduleEvents(randomIds.uuid(), when(0))).toBe(false)
    expect(await walletAddresses.listDueForEvents(when(999), 10)).toEqual([])
    const due = await walletAddresses.listDueForEvents(when(5000), 10)
    expect(due).toEqual([
      { walletAddress: b, processAt: when(1000), totalEventsAmount: 0n, scheduleVersion: 1n },
      { walletAddress: a, processAt: when(5000), totalEventsAmount: 0n, scheduleVersion: 2n },
    ])
    expect(await walletAddresses.listDueForEvents(when(5000), 1)).toEqual(due.slice(0, 1))
    expect(await walletAddresses.getById(a.id)).toEqual(a)
  })

  it('records a report only if nothing changed since it was read', async () => {
    const { fixture, create } = context()
    const walletAddresses = fixture.walletAddresses
    const c = await create('wm/c')
    await walletAddresses.scheduleEvents(c.id, when(0))
    const seen = await dueOf(c.id, 0)
    if (!seen) throw new Error('not due')
    const total = 2n ** 64n + 5n
    expect(await walletAddresses.markEventsReported(seen, total)).toBe(true)
    expect(await dueOf(c.id, 0)).toBeUndefined()
    expect(await walletAddresses.markEventsReported(seen, total)).toBe(false)
    await walletAddresses.scheduleEvents(c.id, when(0))
    const stale = await dueOf(c.id, 0)
    expect(stale).toMatchObject({ totalEventsAmount: total, scheduleVersion: 2n })
    if (!stale) throw new Error('not due')
    // More money was reported received after `stale` was read: it stays due for the next report.
    await walletAddresses.scheduleEvents(c.id, when(0))
    expect(await walletAddresses.markEventsReported(stale, total + 1n)).toBe(false)
    const fresh = await dueOf(c.id, 0)
    if (!fresh) throw new Error('not due')
    expect(await walletAddresses.markEventsReported(fresh, total)).toBe(true)
  })

  it('lets exactly one of concurrent reporters record a report', async () => {
    const { fixture, create } = context()
    const walletAddresses = fixture.walletAddresses
    const d = await create('wm/d')
    await walletAddresses.scheduleEvents(d.id, when(0))
    const seen = await dueOf(d.id, 0)
    if (!seen) throw new Error('not due')
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => walletAddresses.markEventsReported(seen, 7n)),
    )
    expect(outcomes.filter(Boolean)).toHaveLength(1)
  })
}

type KeyContext = {
  readonly fixture: WalletAddressRepositoryFixture
  readonly create: (path: string) => Promise<{ id: string }>
  readonly at: () => Date
}

function runKeyCases(context: () => KeyContext): void {
  const addKey = async (walletAddressId: string, kid: string) => {
    const { fixture, at } = context()
    const created = await fixture.keys.create({
      id: randomIds.uuid(),
      walletAddressId,
      jwk: jwk(kid),
      createdAt: at(),
    })
    if (!created.ok) throw new Error(`could not create key ${kid}`)
    return created.value
  }

  it('creates keys, unique by kid per wallet address (revoked ones too)', async () => {
    const { fixture, create, at } = context()
    const owner = await create('keys/grace')
    const other = await create('keys/heidi')
    const key = await addKey(owner.id, 'k1')
    expect(key).toMatchObject({ walletAddressId: owner.id, kid: 'k1', jwk: jwk('k1') })
    expect(key.revoked).toBe(false)
    expect(await fixture.keys.getById(key.id)).toEqual(key)
    const duplicate = { id: randomIds.uuid(), walletAddressId: owner.id, jwk: jwk('k1') }
    expect(await fixture.keys.create({ ...duplicate, createdAt: at() })).toEqual({
      ok: false,
      error: 'duplicate_key',
    })
    await fixture.keys.revoke(key.id, at())
    expect((await fixture.keys.create({ ...duplicate, createdAt: at() })).ok).toBe(false)
    expect((await addKey(other.id, 'k1')).walletAddressId).toBe(other.id)
  })

  it('revokes once; revoking again returns the revoked key; unknown ids give undefined', async () => {
    const { fixture, create, at } = context()
    const owner = await create('keys/ivan')
    const key = await addKey(owner.id, 'r1')
    const revoked = await fixture.keys.revoke(key.id, at())
    expect(revoked).toEqual({ ...key, revoked: true })
    expect(await fixture.keys.revoke(key.id, at())).toEqual(revoked)
    expect(await fixture.keys.getById(key.id)).toEqual(revoked)
    expect(await fixture.keys.revoke(randomIds.uuid(), at())).toBeUndefined()
  })

  it('lists active keys newest first up to the limit, and pages all of them', async () => {
    const { fixture, create, at } = context()
    const owner = await create('keys/judy')
    const other = await create('keys/mallory')
    const keys = []
    for (const kid of ['a', 'b', 'c', 'd']) keys.push(await addKey(owner.id, kid))
    await addKey(other.id, 'z')
    await fixture.keys.revoke(keys[1]?.id ?? '', at())
    const active = await fixture.keys.listActive(owner.id, 10)
    expect(active.map((key) => key.kid)).toEqual(['d', 'c', 'a'])
    expect((await fixture.keys.listActive(owner.id, 2)).map((key) => key.kid)).toEqual(['d', 'c'])
    const first = await fixture.keys.list(owner.id, forward('ASC'))
    expect(first.ok && first.value.items.map((key) => key.kid)).toEqual(['a', 'b'])
    expect(first.ok && first.value.hasNextPage).toBe(true)
    const second = await fixture.keys.list(owner.id, forward('ASC', keys[1]?.id))
    expect(second.ok && second.value.items.map((key) => key.kid)).toEqual(['c', 'd'])
    expect(second.ok && second.value.hasNextPage).toBe(false)
    // Another wallet address's key is no cursor here.
    const foreign = await fixture.keys.listActive(other.id, 1)
    expect(await fixture.keys.list(owner.id, forward('ASC', foreign[0]?.id))).toEqual({
      ok: false,
      error: 'unknown_cursor',
    })
  })
}

async function collect(
  walletAddresses: WalletAddressRepository,
  sortOrder: 'ASC' | 'DESC',
): Promise<string[]> {
  const out: string[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await walletAddresses.list(forward(sortOrder, cursor))
    if (!page.ok) throw new Error(page.error)
    out.push(...page.value.items.map((item) => item.id))
    const last = page.value.items[page.value.items.length - 1]
    if (!page.value.hasNextPage || !last) return out
    cursor = last.id
  }
}
