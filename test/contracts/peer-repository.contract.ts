import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAsset } from '../support/seed.ts'
import type { Peer } from '../../domain/peers/peer.ts'
import { uint64Max } from '../../domain/shared/uint64.ts'
import type { AssetRepository } from '../../application/ports/asset-repository.ts'
import type { NewPeer, PeerRepository } from '../../application/ports/peer-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type PeerRepositoryFixture = {
  readonly peers: PeerRepository
  /** Peers reference assets, so the suite creates some. */
  readonly assets: AssetRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)
const outgoing = { authToken: 'out', endpoint: 'https://peer.example/ilp' }

/** Every PeerRepository adapter behaves like this. */
export function runPeerRepositoryContract(
  name: string,
  make: () => Promise<PeerRepositoryFixture>,
): void {
  describe(`PeerRepository contract: ${name}`, () => {
    let fixture: PeerRepositoryFixture
    let assetId: string
    let otherAssetId: string
    let sequence = 0
    const at = () => new Date(base + (sequence += 1) * 1000)
    // Each test uses its own addresses and tokens so tests stay independent on one database.
    const newPeer = (address: string, tokens: readonly string[] = []): NewPeer => ({
      id: randomIds.uuid(),
      assetId,
      staticIlpAddress: `test.${address}`,
      name: null,
      maxPacketAmount: null,
      liquidityThreshold: null,
      incomingTokens: tokens,
      outgoing,
      createdAt: at(),
    })
    const create = async (address: string, tokens: readonly string[] = []) => {
      const created = await fixture.peers.create(newPeer(address, tokens))
      if (!created.ok) throw new Error(`could not create ${address}: ${created.error}`)
      return created.value
    }

    beforeAll(async () => {
      fixture = await make()
      assetId = (await seedAsset(fixture.assets, new Date(base))).id
      const other = await fixture.assets.create({
        id: randomIds.uuid(),
        code: 'EUR',
        scale: 2,
        withdrawalThreshold: null,
        liquidityThreshold: null,
        createdAt: new Date(base),
      })
      if (!other.ok) throw new Error('seed: second asset')
      otherAssetId = other.value.id
    })
    afterAll(async () => {
      await fixture?.close()
    })

    it('creates a peer and reads it back by id, token and address', async () => {
      const input = {
        ...newPeer('read.alice', ['tok-read-b', 'tok-read-a']),
        name: 'Alice',
        maxPacketAmount: uint64Max,
        liquidityThreshold: 0n,
      }
      const created = await fixture.peers.create(input)
      expect(created.ok).toBe(true)
      const peer = created.ok ? created.value : undefined
      expect(peer).toEqual({
        ...input,
        incomingTokens: ['tok-read-a', 'tok-read-b'],
        updatedAt: input.createdAt,
      })
      expect(await fixture.peers.getById(input.id)).toEqual(peer)
      expect(await fixture.peers.getByIncomingToken('tok-read-a')).toEqual(peer)
      expect(await fixture.peers.getByIncomingToken('tok-read-b')).toEqual(peer)
      expect(await fixture.peers.getByIncomingToken('tok-read-c')).toBeUndefined()
      expect(await fixture.peers.getByAddressAndAsset('test.read.alice', assetId)).toEqual(peer)
      expect(await fixture.peers.getByAddressAndAsset('test.read', assetId)).toBeUndefined()
      expect(
        await fixture.peers.getByAddressAndAsset('test.read.alice', otherAssetId),
      ).toBeUndefined()
      expect(await fixture.peers.getById(randomIds.uuid())).toBeUndefined()
    })

    it('creates a peer without incoming tokens', async () => {
      const peer = await create('no.tokens')
      expect(peer.incomingTokens).toEqual([])
      expect(await fixture.peers.getById(peer.id)).toEqual(peer)
    })

    it('refuses an incoming token another peer has, and creates nothing', async () => {
      await create('dup.token.a', ['tok-dup-1'])
      const second = newPeer('dup.token.b', ['tok-dup-2', 'tok-dup-1'])
      expect(await fixture.peers.create(second)).toEqual({
        ok: false,
        error: 'duplicate_incoming_token',
      })
      expect(await fixture.peers.getById(second.id)).toBeUndefined()
      expect(await fixture.peers.getByIncomingToken('tok-dup-2')).toBeUndefined()
      expect(await fixture.peers.create(newPeer('dup.token.c', ['x-dup', 'x-dup']))).toEqual({
        ok: false,
        error: 'duplicate_incoming_token',
      })
    })

    it('refuses a second peer with the same address on the same asset only', async () => {
      await create('dup.address')
      expect(await fixture.peers.create(newPeer('dup.address', ['tok-dup-address']))).toEqual({
        ok: false,
        error: 'duplicate_peer',
      })
      expect(await fixture.peers.getByIncomingToken('tok-dup-address')).toBeUndefined()
      const onOtherAsset = await fixture.peers.create({
        ...newPeer('dup.address'),
        assetId: otherAssetId,
      })
      expect(onOtherAsset.ok).toBe(true)
    })

    it('lets exactly one of concurrent creates with one token through', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          fixture.peers.create(newPeer(`race.${i}`, [`tok-race-${i}`, 'tok-race'])),
        ),
      )
      expect(results.filter((result) => result.ok)).toHaveLength(1)
      const refused = results.filter((result) => !result.ok)
      expect(
        refused.every((result) => !result.ok && result.error === 'duplicate_incoming_token'),
      ).toBe(true)
    })

    it('updates the fields given, keeps the others, and replaces tokens', async () => {
      const peer = await create('upd.a', ['tok-upd-1', 'tok-upd-2'])
      const updatedAt = at()
      const changed = await fixture.peers.update(
        peer.id,
        {
          name: 'Renamed',
          maxPacketAmount: 10n,
          liquidityThreshold: uint64Max,
          incomingTokens: ['tok-upd-3', 'tok-upd-2'],
        },
        updatedAt,
      )
      const expected: Peer = {
        ...peer,
        name: 'Renamed',
        maxPacketAmount: 10n,
        liquidityThreshold: uint64Max,
        incomingTokens: ['tok-upd-2', 'tok-upd-3'],
        updatedAt,
      }
      expect(changed).toEqual({ ok: true, value: expected })
      expect(await fixture.peers.getById(peer.id)).toEqual(expected)
      expect(await fixture.peers.getByIncomingToken('tok-upd-1')).toBeUndefined()
      expect((await fixture.peers.getByIncomingToken('tok-upd-3'))?.id).toBe(peer.id)
      const moved = await fixture.peers.update(
        peer.id,
        {
          staticIlpAddress: 'test.upd.b',
          outgoing: { authToken: 'new-out', endpoint: 'http://other.example' },
          name: null,
          maxPacketAmount: null,
        },
        at(),
      )
      expect(moved.ok && moved.value).toMatchObject({
        staticIlpAddress: 'test.upd.b',
        outgoing: { authToken: 'new-out', endpoint: 'http://other.example' },
        name: null,
        maxPacketAmount: null,
        liquidityThreshold: uint64Max,
        incomingTokens: ['tok-upd-2', 'tok-upd-3'],
      })
      expect(await fixture.peers.getByAddressAndAsset('test.upd.a', assetId)).toBeUndefined()
      const emptied = await fixture.peers.update(peer.id, { incomingTokens: [] }, at())
      expect(emptied.ok && emptied.value.incomingTokens).toEqual([])
    })

    it('refuses an update that breaks uniqueness, and changes nothing', async () => {
      const peer = await create('upd.conflict.a', ['tok-conflict-a'])
      await create('upd.conflict.b', ['tok-conflict-b'])
      const clash = await fixture.peers.update(
        peer.id,
        { name: 'lost', incomingTokens: ['tok-conflict-c', 'tok-conflict-b'] },
        at(),
      )
      expect(clash).toEqual({ ok: false, error: 'duplicate_incoming_token' })
      const address = await fixture.peers.update(
        peer.id,
        { name: 'lost', staticIlpAddress: 'test.upd.conflict.b' },
        at(),
      )
      expect(address).toEqual({ ok: false, error: 'duplicate_peer' })
      expect(await fixture.peers.getById(peer.id)).toEqual(peer)
      expect(await fixture.peers.getByIncomingToken('tok-conflict-c')).toBeUndefined()
      // Keeping its own tokens is no conflict.
      const same = await fixture.peers.update(peer.id, { incomingTokens: ['tok-conflict-a'] }, at())
      expect(same.ok).toBe(true)
      expect(await fixture.peers.update(randomIds.uuid(), { name: 'x' }, at())).toEqual({
        ok: false,
        error: 'unknown_peer',
      })
    })

    it('deletes a peer, freeing its tokens and address', async () => {
      const peer = await create('del.a', ['tok-del'])
      expect(await fixture.peers.existsWithAsset(assetId)).toBe(true)
      expect(await fixture.peers.delete(peer.id)).toBe(true)
      expect(await fixture.peers.delete(peer.id)).toBe(false)
      expect(await fixture.peers.getById(peer.id)).toBeUndefined()
      expect(await fixture.peers.getByIncomingToken('tok-del')).toBeUndefined()
      const again = await create('del.a', ['tok-del'])
      expect(again.id).not.toBe(peer.id)
    })

    it('lists every peer for routing, and pages in both orders', async () => {
      const made = [await create('page.a'), await create('page.b'), await create('page.c')]
      const all = await fixture.peers.listAll()
      for (const peer of made) expect(all).toContainEqual(peer)
      const asc = await collect(fixture.peers, 'ASC')
      expect(asc.map((peer) => peer.id).sort()).toEqual(all.map((peer) => peer.id).sort())
      expect(await collect(fixture.peers, 'DESC')).toEqual([...asc].reverse())
      const middle = asc[1]
      if (!middle) throw new Error('expected peers')
      const before = await fixture.peers.list({
        limit: 5,
        cursor: middle.id,
        direction: 'backward',
        sortOrder: 'ASC',
      })
      expect(before.ok && before.value.items).toEqual(asc.slice(0, 1))
      expect(
        await fixture.peers.list({
          limit: 5,
          cursor: randomIds.uuid(),
          direction: 'forward',
          sortOrder: 'DESC',
        }),
      ).toEqual({ ok: false, error: 'unknown_cursor' })
    })

    it('tells whether an asset has peers', async () => {
      const unused = await fixture.assets.create({
        id: randomIds.uuid(),
        code: 'UNUSED',
        scale: 0,
        withdrawalThreshold: null,
        liquidityThreshold: null,
        createdAt: new Date(base),
      })
      if (!unused.ok) throw new Error('seed: unused asset')
      expect(await fixture.peers.existsWithAsset(unused.value.id)).toBe(false)
    })
  })
}

async function collect(peers: PeerRepository, sortOrder: 'ASC' | 'DESC'): Promise<Peer[]> {
  const out: Peer[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await peers.list({ limit: 2, cursor, direction: 'forward', sortOrder })
    if (!page.ok) throw new Error(page.error)
    out.push(...page.value.items)
    const last = page.value.items[page.value.items.length - 1]
    if (!page.value.hasNextPage || !last) return out
    cursor = last.id
  }
}
