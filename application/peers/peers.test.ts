import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { makeMemoryPeerRepository } from '../../adapters/memory/memory-peer-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { availableLiquidity } from '../../domain/ledger/account.ts'
import { makeCreateAsset } from '../assets/create-asset.ts'
import { peersChangedTopic } from '../ports/peer-repository.ts'
import { makeCreatePeer, type CreatePeerInput } from './create-peer.ts'
import { makeDeletePeer } from './delete-peer.ts'
import { makeGetPeerByAddressAndAsset } from './get-peer-by-address-and-asset.ts'
import { makeGetPeer } from './get-peer.ts'
import { makeListPeers } from './list-peers.ts'
import { makeUpdatePeer } from './update-peer.ts'

const outgoing = { authToken: 'their-token', endpoint: 'https://peer.example/ilp' }

async function setup() {
  const clock = makeFakeClock()
  const signal = makeMemoryWorkSignal()
  const deps = {
    peers: makeMemoryPeerRepository(),
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    clock,
    ids: randomIds,
    signal,
  }
  const asset = await makeCreateAsset(deps)({ code: 'USD', scale: 2 })
  if (!asset.ok) throw new Error('setup: asset')
  const changes: string[] = []
  signal.subscribe(peersChangedTopic, () => changes.push('changed'))
  const createPeer = makeCreatePeer(deps)
  const input: CreatePeerInput = {
    assetId: asset.value.id,
    staticIlpAddress: 'test.peer',
    outgoing,
    incomingTokens: ['our-token'],
  }
  const balance = async (id: string) => {
    const found = (await deps.ledger.getBalances([id])).get(id)
    return found && availableLiquidity(found)
  }
  return {
    deps,
    asset: asset.value,
    input,
    changes,
    balance,
    createPeer,
    updatePeer: makeUpdatePeer(deps),
    deletePeer: makeDeletePeer(deps),
    getPeer: makeGetPeer(deps),
    getByAddress: makeGetPeerByAddressAndAsset(deps),
    listPeers: makeListPeers(deps),
  }
}

describe('createPeer', () => {
  it('creates the peer with its PEER account on the asset ledger, and says so', async () => {
    const t = await setup()
    const created = await t.createPeer({ ...t.input, name: 'Peer', maxPacketAmount: 1000n })
    if (!created.ok) throw new Error(created.error)
    expect(created.value).toMatchObject({
      assetId: t.asset.id,
      staticIlpAddress: 'test.peer',
      name: 'Peer',
      maxPacketAmount: 1000n,
      liquidityThreshold: null,
      incomingTokens: ['our-token'],
      outgoing,
    })
    expect(await t.balance(created.value.id)).toBe(0n)
    expect(await t.getPeer(created.value.id)).toEqual(created.value)
    expect(await t.getByAddress('test.peer', t.asset.id)).toEqual(created.value)
    expect(t.changes).toEqual(['changed'])
  })

  it('deposits initial liquidity from the settlement account', async () => {
    const t = await setup()
    const created = await t.createPeer({ ...t.input, initialLiquidity: 500n })
    if (!created.ok) throw new Error(created.error)
    expect(await t.balance(created.value.id)).toBe(500n)
    const zero = await t.createPeer({
      ...t.input,
      staticIlpAddress: 'test.zero',
      incomingTokens: [],
      initialLiquidity: 0n,
    })
    expect(zero.ok && (await t.balance(zero.value.id))).toBe(0n)
  })

  it.each<[Partial<CreatePeerInput>, string]>([
    [{ staticIlpAddress: 'not an address' }, 'invalid_ilp_address'],
    [{ outgoing: { ...outgoing, endpoint: 'nope' } }, 'invalid_endpoint'],
    [{ incomingTokens: ['a b'] }, 'invalid_token'],
    [{ incomingTokens: ['a', 'a'] }, 'duplicate_incoming_token'],
    [{ assetId: randomIds.uuid() }, 'unknown_asset'],
    [{ assetId: 'nope' }, 'unknown_asset'],
    [{ liquidityThreshold: -1n }, 'invalid_threshold'],
    [{ initialLiquidity: 2n ** 64n }, 'invalid_initial_liquidity'],
  ])('refuses bad input #%#', async (override, error) => {
    const t = await setup()
    expect(await t.createPeer({ ...t.input, ...override })).toEqual({ ok: false, error })
    expect(t.changes).toEqual([])
  })

  it('refuses a token another peer uses and a second peer on one address and asset', async () => {
    const t = await setup()
    expect((await t.createPeer(t.input)).ok).toBe(true)
    expect(await t.createPeer({ ...t.input, staticIlpAddress: 'test.other' })).toEqual({
      ok: false,
      error: 'duplicate_incoming_token',
    })
    expect(await t.createPeer({ ...t.input, incomingTokens: ['fresh'] })).toEqual({
      ok: false,
      error: 'duplicate_peer',
    })
  })

  it('takes the peer back when its initial deposit fails', async () => {
    const t = await setup()
    const failing = {
      ...t.deps,
      ledger: { ...t.deps.ledger, transfer: () => Promise.reject(new Error('ledger down')) },
    }
    await expect(makeCreatePeer(failing)({ ...t.input, initialLiquidity: 5n })).rejects.toThrow(
      'ledger down',
    )
    expect(await t.getByAddress('test.peer', t.asset.id)).toBeUndefined()
    expect((await t.createPeer(t.input)).ok).toBe(true)
  })
})

describe('updatePeer, deletePeer and lists', () => {
  it('updates what is given, clears with null, replaces tokens', async () => {
    const t = await setup()
    const created = await t.createPeer({ ...t.input, name: 'Old', liquidityThreshold: 5n })
    if (!created.ok) throw new Error(created.error)
    const { id } = created.value
    const updated = await t.updatePeer({
      id,
      name: null,
      maxPacketAmount: 77n,
      staticIlpAddress: null,
      outgoing: null,
      incomingTokens: ['new-token'],
    })
    expect(updated.ok && updated.value).toMatchObject({
      name: null,
      maxPacketAmount: 77n,
      liquidityThreshold: 5n,
      staticIlpAddress: 'test.peer',
      outgoing,
      incomingTokens: ['new-token'],
    })
    const moved = await t.updatePeer({
      id,
      staticIlpAddress: 'test.moved',
      outgoing: { authToken: 'x', endpoint: 'http://127.0.0.1:9' },
    })
    expect(moved.ok && moved.value.staticIlpAddress).toBe('test.moved')
    expect(t.changes).toHaveLength(3)
  })

  it('refuses bad changes and unknown peers', async () => {
    const t = await setup()
    const created = await t.createPeer(t.input)
    if (!created.ok) throw new Error(created.error)
    const { id } = created.value
    expect(await t.updatePeer({ id, staticIlpAddress: 'g' })).toEqual({
      ok: false,
      error: 'invalid_ilp_address',
    })
    expect(await t.updatePeer({ id: randomIds.uuid(), name: 'x' })).toEqual({
      ok: false,
      error: 'unknown_peer',
    })
    expect(await t.updatePeer({ id: 'nope', name: 'x' })).toEqual({
      ok: false,
      error: 'unknown_peer',
    })
    expect(t.changes).toHaveLength(1)
  })

  it('deletes a peer; its ledger account stays', async () => {
    const t = await setup()
    const created = await t.createPeer({ ...t.input, initialLiquidity: 9n })
    if (!created.ok) throw new Error(created.error)
    expect(await t.deletePeer(created.value.id)).toEqual({ ok: true, value: undefined })
    expect(await t.deletePeer(created.value.id)).toEqual({ ok: false, error: 'unknown_peer' })
    expect(await t.deletePeer('nope')).toEqual({ ok: false, error: 'unknown_peer' })
    expect(await t.getPeer(created.value.id)).toBeUndefined()
    expect(await t.balance(created.value.id)).toBe(9n)
    expect((await t.createPeer(t.input)).ok).toBe(true)
  })

  it('lists pages and finds by address and asset only with a valid asset id', async () => {
    const t = await setup()
    for (const n of [1, 2, 3]) {
      t.deps.clock.advance(1)
      await t.createPeer({ ...t.input, staticIlpAddress: `test.p${n}`, incomingTokens: [] })
    }
    const page = await t.listPeers({ first: 2, sortOrder: 'ASC' })
    expect(page.ok && page.value.items.map((p) => p.staticIlpAddress)).toEqual([
      'test.p1',
      'test.p2',
    ])
    expect(await t.listPeers({ after: randomIds.uuid() })).toEqual({
      ok: false,
      error: 'invalid_cursor',
    })
    expect(await t.getByAddress('test.p1', 'not-a-uuid')).toBeUndefined()
    expect(await t.getPeer('not-a-uuid')).toBeUndefined()
  })
})
