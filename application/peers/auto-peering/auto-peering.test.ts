import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../../adapters/memory/memory-asset-repository.ts'
import {
  makeMemoryAutoPeeringClient,
  type PeeringAnswer,
} from '../../../adapters/memory/memory-auto-peering-client.ts'
import { makeMemoryLedger } from '../../../adapters/memory/memory-ledger.ts'
import { makeMemoryPeerRepository } from '../../../adapters/memory/memory-peer-repository.ts'
import { makeMemoryWorkSignal } from '../../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../../adapters/system/random-ids.ts'
import { availableLiquidity } from '../../../domain/ledger/account.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import { makeCreateAsset } from '../../assets/create-asset.ts'
import type { Logger } from '../../ports/logger.ts'
import { makeCreatePeer } from '../create-peer.ts'
import { makeDepositPeerLiquidity } from '../deposit-peer-liquidity.ts'
import { makeUpdatePeer } from '../update-peer.ts'
import {
  autoPeerCredit,
  makeAcceptPeeringRequest,
  type AcceptPeeringRequestInput,
} from './accept-peering-request.ts'
import { makeCreateOrUpdatePeerByUrl } from './create-or-update-peer-by-url.ts'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** One node over in-memory adapters; its client answers with `answer`. */
async function makeNode(name: string, answer: PeeringAnswer = () => err('peer_unreachable')) {
  const clock = makeFakeClock()
  const base = {
    peers: makeMemoryPeerRepository(),
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    clock,
    ids: randomIds,
    signal: makeMemoryWorkSignal(),
  }
  const asset = await makeCreateAsset(base)({ code: 'USD', scale: 2 })
  if (!asset.ok) throw new Error('setup: asset')
  const self = {
    ilpAddress: `test.${name}`,
    ilpConnectorUrl: `http://${name}.example/ilp`,
    instanceName: `Node ${name}`,
  }
  const deps = {
    ...base,
    createPeer: makeCreatePeer(base),
    updatePeer: makeUpdatePeer(base),
    self,
  }
  const client = makeMemoryAutoPeeringClient(answer)
  return {
    ...base,
    self,
    asset: asset.value,
    client,
    accept: makeAcceptPeeringRequest(deps),
    createOrUpdate: makeCreateOrUpdatePeerByUrl({
      ...deps,
      client,
      depositPeerLiquidity: makeDepositPeerLiquidity(base),
      logger: silent,
    }),
    async liquidity(id: string) {
      const balance = (await base.ledger.getBalances([id])).get(id)
      return balance && availableLiquidity(balance)
    },
  }
}

type TestNode = Awaited<ReturnType<typeof makeNode>>

/** A answers its peering requests to http://b/ with B's accepting use case, as HTTP would. */
async function twoNodes() {
  const b = await makeNode('b')
  const a = await makeNode('a', async (peerUrl, request) => {
    if (peerUrl !== 'http://b/') return err('peer_unreachable')
    const accepted = await b.accept(request)
    if (accepted.ok) return ok(accepted.value)
    if (accepted.error === 'unknown_asset') return err('peer_unsupported_asset')
    return err(
      accepted.error === 'invalid_ilp_address' || accepted.error === 'invalid_endpoint'
        ? 'peer_refused_our_ilp_configuration'
        : 'peer_refused',
    )
  })
  return { a, b }
}

const request = (overrides: Partial<AcceptPeeringRequestInput> = {}) => ({
  staticIlpAddress: 'test.remote',
  ilpConnectorUrl: 'https://remote.example/ilp',
  asset: { code: 'USD', scale: 2 },
  httpToken: 'remote-token',
  ...overrides,
})

describe('acceptPeeringRequest', () => {
  it('creates the requester as a peer with credit and answers with our details', async () => {
    const b = await makeNode('b')
    const accepted = await b.accept(request({ maxPacketAmount: 500n, name: 'Remote' }))
    if (!accepted.ok) throw new Error(accepted.error)
    const peer = await b.peers.getByAddressAndAsset('test.remote', b.asset.id)
    expect(peer).toMatchObject({
      name: 'Remote',
      maxPacketAmount: 500n,
      incomingTokens: ['remote-token'],
      outgoing: { endpoint: 'https://remote.example/ilp' },
    })
    expect(accepted.value).toEqual({
      staticIlpAddress: 'test.b',
      ilpConnectorUrl: 'http://b.example/ilp',
      httpToken: peer?.outgoing.authToken,
      name: 'Node b',
    })
    expect(await b.liquidity(peer?.id ?? '')).toBe(autoPeerCredit)
  })

  it('updates the peer of that address and asset on a second request, crediting once', async () => {
    const b = await makeNode('b')
    const first = await b.accept(request({ name: 'Remote', maxPacketAmount: 500n }))
    const second = await b.accept(
      request({
        httpToken: 'new-token',
        ilpConnectorUrl: 'https://moved.example',
        maxPacketAmount: 0n,
      }),
    )
    if (!first.ok || !second.ok) throw new Error('not accepted')
    expect(second.value.httpToken).not.toBe(first.value.httpToken)
    const peer = await b.peers.getByAddressAndAsset('test.remote', b.asset.id)
    expect(peer).toMatchObject({
      name: 'Remote',
      maxPacketAmount: 500n,
      incomingTokens: ['new-token'],
      outgoing: { endpoint: 'https://moved.example', authToken: second.value.httpToken },
    })
    expect(await b.liquidity(peer?.id ?? '')).toBe(autoPeerCredit)
  })

  it.each<[Partial<AcceptPeeringRequestInput>, string]>([
    [{ asset: { code: 'EUR', scale: 2 } }, 'unknown_asset'],
    [{ asset: { code: 'USD', scale: 3 } }, 'unknown_asset'],
    [{ staticIlpAddress: 'nope' }, 'invalid_ilp_address'],
    [{ ilpConnectorUrl: 'ftp://remote.example' }, 'invalid_endpoint'],
    [{ httpToken: 'has space' }, 'invalid_token'],
    [{ name: 'n'.repeat(256) }, 'invalid_name'],
  ])('refuses bad requests #%#', async (override, error) => {
    const b = await makeNode('b')
    expect(await b.accept(request(override))).toEqual({ ok: false, error })
    expect(await b.peers.listAll()).toEqual([])
  })

  it('refuses a token another peer already uses', async () => {
    const b = await makeNode('b')
    expect((await b.accept(request())).ok).toBe(true)
    expect(await b.accept(request({ staticIlpAddress: 'test.other' }))).toEqual({
      ok: false,
      error: 'duplicate_incoming_token',
    })
  })
})

describe('createOrUpdatePeerByUrl', () => {
  it('peers two nodes both ways with crossed tokens, and deposits', async () => {
    const { a, b } = await twoNodes()
    const peered = await a.createOrUpdate({
      assetId: a.asset.id,
      peerUrl: 'http://b/',
      maxPacketAmount: 1000n,
      liquidityThreshold: 10n,
      liquidityToDeposit: 700n,
    })
    if (!peered.ok) throw new Error(peered.error)
    const atB = await b.peers.getByAddressAndAsset('test.a', b.asset.id)
    expect(peered.value).toMatchObject({
      staticIlpAddress: 'test.b',
      name: 'Node b',
      maxPacketAmount: 1000n,
      liquidityThreshold: 10n,
      outgoing: { endpoint: 'http://b.example/ilp' },
      incomingTokens: [atB?.outgoing.authToken],
    })
    expect(atB).toMatchObject({
      name: 'Node a',
      maxPacketAmount: 1000n,
      outgoing: { endpoint: 'http://a.example/ilp' },
      incomingTokens: [peered.value.outgoing.authToken],
    })
    expect(await a.liquidity(peered.value.id)).toBe(700n)
    expect(a.client.sent[0]?.request).toEqual({
      staticIlpAddress: 'test.a',
      ilpConnectorUrl: 'http://a.example/ilp',
      asset: { code: 'USD', scale: 2 },
      httpToken: peered.value.outgoing.authToken,
      maxPacketAmount: 1000n,
      name: 'Node a',
    })
  })

  it('updates both sides when run again, keeping the peers and names', async () => {
    const { a, b } = await twoNodes()
    const first = await a.createOrUpdate({ assetId: a.asset.id, peerUrl: 'http://b/', name: 'Bee' })
    const again = await a.createOrUpdate({ assetId: a.asset.id, peerUrl: 'http://b/' })
    if (!first.ok || !again.ok) throw new Error('not peered')
    expect(again.value.id).toBe(first.value.id)
    expect(again.value.name).toBe('Node b')
    expect(again.value.outgoing.authToken).not.toBe(first.value.outgoing.authToken)
    const atB = await b.peers.listAll()
    expect(atB).toHaveLength(1)
    expect(atB[0]?.incomingTokens).toEqual([again.value.outgoing.authToken])
    expect(again.value.incomingTokens).toEqual([atB[0]?.outgoing.authToken])
  })

  it('checks its own input before asking the peer', async () => {
    const { a } = await twoNodes()
    const ask = (input: Partial<Parameters<TestNode['createOrUpdate']>[0]>) =>
      a.createOrUpdate({ assetId: a.asset.id, peerUrl: 'http://b/', ...input })
    expect(await ask({ assetId: randomIds.uuid() })).toEqual(err('unknown_asset'))
    expect(await ask({ assetId: 'nope' })).toEqual(err('unknown_asset'))
    expect(await ask({ name: 'n'.repeat(256) })).toEqual(err('invalid_name'))
    expect(await ask({ maxPacketAmount: -1n })).toEqual(err('invalid_max_packet_amount'))
    expect(await ask({ liquidityThreshold: 2n ** 64n })).toEqual(err('invalid_threshold'))
    expect(a.client.sent).toEqual([])
  })

  it('passes on what the peer answered, and refuses a bad reply', async () => {
    const { a } = await twoNodes()
    expect(await a.createOrUpdate({ assetId: a.asset.id, peerUrl: 'http://c/' })).toEqual(
      err('peer_unreachable'),
    )
    const eur = await makeCreateAsset(a)({ code: 'EUR', scale: 2 })
    if (!eur.ok) throw new Error('setup')
    expect(await a.createOrUpdate({ assetId: eur.value.id, peerUrl: 'http://b/' })).toEqual(
      err('peer_unsupported_asset'),
    )
    const badReply = async (details: Record<string, string>) => {
      const node = await makeNode('x', () =>
        ok({
          staticIlpAddress: 'test.y',
          ilpConnectorUrl: 'http://y.example',
          httpToken: 'y-token',
          name: null,
          ...details,
        }),
      )
      return node.createOrUpdate({ assetId: node.asset.id, peerUrl: 'http://y/' })
    }
    expect(await badReply({ staticIlpAddress: 'y' })).toEqual(err('invalid_ilp_address'))
    expect(await badReply({ ilpConnectorUrl: 'y' })).toEqual(err('invalid_endpoint'))
    expect(await badReply({ httpToken: '' })).toEqual(err('invalid_token'))
  })

  it('keeps the peer but says so when the deposit fails', async () => {
    const { a } = await twoNodes()
    const peered = await a.createOrUpdate({
      assetId: a.asset.id,
      peerUrl: 'http://b/',
      liquidityToDeposit: 2n ** 64n,
    })
    expect(peered).toEqual(err('liquidity_error'))
    expect(await a.peers.getByAddressAndAsset('test.b', a.asset.id)).toBeDefined()
  })
})
