import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryPeerRepository } from '../../adapters/memory/memory-peer-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { seedAsset } from '../../test/support/seed.ts'
import type { Logger } from '../ports/logger.ts'
import { peersChangedTopic } from '../ports/peer-repository.ts'
import { makePeerDirectory } from './peer-directory.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

async function setup() {
  const clock = makeFakeClock()
  const peers = makeMemoryPeerRepository()
  const assets = makeMemoryAssetRepository()
  const signal = makeMemoryWorkSignal()
  const asset = await seedAsset(assets, new Date(clock.now()))
  const addPeer = async (address: string, tokens: string[]) => {
    const created = await peers.create({
      id: randomIds.uuid(),
      assetId: asset.id,
      staticIlpAddress: address,
      name: null,
      maxPacketAmount: null,
      liquidityThreshold: null,
      incomingTokens: tokens,
      outgoing: { authToken: 'out', endpoint: `http://${address}.example` },
      createdAt: new Date(clock.now()),
    })
    if (!created.ok) throw new Error(created.error)
    return created.value
  }
  const directory = makePeerDirectory({
    peers,
    assets,
    signal,
    clock,
    logger: silent,
    refreshMs: 5000,
  })
  return { clock, peers, signal, asset, addPeer, directory }
}

describe('peer directory', () => {
  it('finds peers by token and by the longest prefix, with their asset', async () => {
    const { addPeer, directory, asset } = await setup()
    const wide = await addPeer('test.hub', ['t1'])
    const narrow = await addPeer('test.hub.eu', ['t2', 't3'])
    expect((await directory.byIncomingToken('t3'))?.id).toBe(narrow.id)
    expect(await directory.byIncomingToken('nope')).toBeUndefined()
    expect((await directory.route('test.hub.eu.alice'))?.id).toBe(narrow.id)
    expect((await directory.route('test.hub.us'))?.id).toBe(wide.id)
    expect((await directory.route('test.hub'))?.asset).toEqual({
      id: asset.id,
      code: 'USD',
      scale: 2,
      ledger: asset.ledger,
    })
  })

  it('reloads when peers change, or after refreshMs', async () => {
    const { addPeer, directory, signal, clock, peers } = await setup()
    await addPeer('test.a', ['ta'])
    expect(await directory.byIncomingToken('tb')).toBeUndefined()
    const b = await addPeer('test.b', ['tb'])
    expect(await directory.byIncomingToken('tb')).toBeUndefined()
    signal.notify(peersChangedTopic)
    expect((await directory.byIncomingToken('tb'))?.id).toBe(b.id)
    await peers.delete(b.id)
    expect((await directory.byIncomingToken('tb'))?.id).toBe(b.id)
    clock.advance(5000)
    expect(await directory.byIncomingToken('tb')).toBeUndefined()
  })
})
