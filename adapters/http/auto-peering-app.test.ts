import { describe, expect, it } from 'vitest'
import { makeCreateAsset } from '../../application/assets/create-asset.ts'
import {
  autoPeerCredit,
  makeAcceptPeeringRequest,
} from '../../application/peers/auto-peering/accept-peering-request.ts'
import { makeCreatePeer } from '../../application/peers/create-peer.ts'
import { makeUpdatePeer } from '../../application/peers/update-peer.ts'
import { availableLiquidity } from '../../domain/ledger/account.ts'
import { makeFakeClock } from '../memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../memory/memory-asset-repository.ts'
import { makeMemoryLedger } from '../memory/memory-ledger.ts'
import { makeMemoryPeerRepository } from '../memory/memory-peer-repository.ts'
import { makeMemoryWorkSignal } from '../memory/memory-work-signal.ts'
import { randomIds } from '../system/random-ids.ts'
import { makeAutoPeeringApp } from './auto-peering-app.ts'

const silent = { debug() {}, info() {}, warn() {}, error() {} }

async function setup() {
  const clock = makeFakeClock()
  const base = {
    peers: makeMemoryPeerRepository(),
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    clock,
    ids: randomIds,
    signal: makeMemoryWorkSignal(),
  }
  await makeCreateAsset(base)({ code: 'USD', scale: 2 })
  const app = makeAutoPeeringApp({
    logger: silent,
    acceptPeeringRequest: makeAcceptPeeringRequest({
      ...base,
      createPeer: makeCreatePeer(base),
      updatePeer: makeUpdatePeer(base),
      self: { ilpAddress: 'test.us', ilpConnectorUrl: 'http://us.example', instanceName: 'Us' },
    }),
  })
  const post = async (body: unknown) => {
    const response = await app.request('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: response.status, json: (await response.json()) as Record<string, unknown> }
  }
  return { ...base, post }
}

// As Rafiki's initiating side sends it: maxPacketAmount a number, or null when unset.
const valid = {
  staticIlpAddress: 'test.them',
  ilpConnectorUrl: 'http://them.example/ilp',
  asset: { code: 'USD', scale: 2 },
  httpToken: 'their-token',
  maxPacketAmount: 1000,
  name: 'Them',
}

describe('auto-peering app', () => {
  it('accepts a peering request, creating the peer, and answers with our details', async () => {
    const t = await setup()
    const { status, json } = await t.post({ ...valid, tenantId: 'ignored' })
    expect(status).toBe(200)
    const [peer] = await t.peers.listAll()
    expect(json).toEqual({
      staticIlpAddress: 'test.us',
      ilpConnectorUrl: 'http://us.example',
      httpToken: peer?.outgoing.authToken,
      name: 'Us',
    })
    expect(peer).toMatchObject({
      staticIlpAddress: 'test.them',
      name: 'Them',
      maxPacketAmount: 1000n,
      incomingTokens: ['their-token'],
      outgoing: { endpoint: 'http://them.example/ilp' },
    })
    const balance = (await t.ledger.getBalances([peer?.id ?? ''])).get(peer?.id ?? '')
    expect(balance && availableLiquidity(balance)).toBe(autoPeerCredit)
  })

  it.each<[unknown, number | null]>([
    [null, null],
    [undefined, null],
    ['18446744073709551615', 18446744073709551615n as unknown as number],
  ])('takes maxPacketAmount %j', async (maxPacketAmount, expected) => {
    const t = await setup()
    const { status } = await t.post({ ...valid, maxPacketAmount })
    expect(status).toBe(200)
    const [peer] = await t.peers.listAll()
    expect(peer?.maxPacketAmount ?? null).toBe(expected)
  })

  it('answers an unknown asset with 404 and Rafiki error body', async () => {
    const t = await setup()
    const { status, json } = await t.post({ ...valid, asset: { code: 'EUR', scale: 2 } })
    expect(status).toBe(404)
    expect(json).toEqual({
      error: {
        code: 404,
        message: 'Unknown asset: no asset of that code and scale',
        type: 'UnknownAsset',
      },
    })
  })

  it.each<[string, unknown, string, RegExp]>([
    ['not JSON', '{', 'InvalidPeeringRequest', /must be a JSON object/],
    ['an array', [valid], 'InvalidPeeringRequest', /must be a JSON object/],
    [
      'no address',
      { ...valid, staticIlpAddress: undefined },
      'InvalidPeeringRequest',
      /staticIlpAddress is required/,
    ],
    ['a numeric token', { ...valid, httpToken: 5 }, 'InvalidPeeringRequest', /httpToken/],
    ['no asset', { ...valid, asset: 'USD' }, 'InvalidPeeringRequest', /asset/],
    [
      'a bad scale',
      { ...valid, asset: { code: 'USD', scale: 2.5 } },
      'InvalidPeeringRequest',
      /asset\.scale/,
    ],
    [
      'a negative amount',
      { ...valid, maxPacketAmount: -1 },
      'InvalidPeeringRequest',
      /maxPacketAmount/,
    ],
    [
      'a fractional amount',
      { ...valid, maxPacketAmount: 1.5 },
      'InvalidPeeringRequest',
      /maxPacketAmount/,
    ],
    [
      'a 2^64 amount',
      { ...valid, maxPacketAmount: '18446744073709551616' },
      'InvalidPeeringRequest',
      /maxPacketAmount/,
    ],
    [
      'a bad address',
      { ...valid, staticIlpAddress: 'them' },
      'InvalidPeerIlpConfiguration',
      /ILP address/,
    ],
    [
      'a bad URL',
      { ...valid, ilpConnectorUrl: 'them' },
      'InvalidPeerIlpConfiguration',
      /ilpConnectorUrl/,
    ],
    ['a bad token', { ...valid, httpToken: 'a b' }, 'InvalidPeeringRequest', /httpToken/],
    ['a long name', { ...valid, name: 'n'.repeat(300) }, 'InvalidPeeringRequest', /name/],
  ])('refuses %s with 400', async (_, body, type, message) => {
    const t = await setup()
    const { status, json } = await t.post(body)
    expect(status).toBe(400)
    expect(json).toMatchObject({ error: { code: 400, type } })
    expect((json['error'] as { message: string }).message).toMatch(message)
    expect(await t.peers.listAll()).toEqual([])
  })

  it('refuses a token another peer uses, and a body over the limit', async () => {
    const t = await setup()
    expect((await t.post(valid)).status).toBe(200)
    const duplicate = await t.post({ ...valid, staticIlpAddress: 'test.other' })
    expect(duplicate).toMatchObject({
      status: 400,
      json: { error: { type: 'InvalidPeeringRequest' } },
    })
    const huge = await t.post({ ...valid, name: 'n'.repeat(70_000) })
    expect(huge).toMatchObject({ status: 413, json: { error: { type: 'InvalidPeeringRequest' } } })
  })

  it('updates the peer when the same node asks again', async () => {
    const t = await setup()
    const first = await t.post(valid)
    const second = await t.post({ ...valid, httpToken: 'rotated' })
    expect(second.status).toBe(200)
    expect(second.json['httpToken']).not.toBe(first.json['httpToken'])
    const peers = await t.peers.listAll()
    expect(peers).toHaveLength(1)
    expect(peers[0]?.incomingTokens).toEqual(['rotated'])
  })
})
