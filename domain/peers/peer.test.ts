import { describe, expect, it } from 'vitest'
import { uint64Max } from '../shared/uint64.ts'
import {
  checkPeerSettings,
  incomingTokensMax,
  isPeerEndpoint,
  isPeerToken,
  peerNameLengthMax,
  peerTokenLengthMax,
  type PeerSettings,
} from './peer.ts'

const outgoing = { authToken: 'out-token', endpoint: 'https://peer.example/ilp' }
const valid: PeerSettings = {
  staticIlpAddress: 'test.peer',
  name: 'Peer',
  maxPacketAmount: uint64Max,
  liquidityThreshold: 0n,
  incomingTokens: ['a', 'b'],
  outgoing,
}

describe('peer settings', () => {
  it('accepts valid settings, and checks only the ones present', () => {
    expect(checkPeerSettings(valid)).toEqual({ ok: true, value: undefined })
    expect(checkPeerSettings({})).toEqual({ ok: true, value: undefined })
    expect(
      checkPeerSettings({ name: null, maxPacketAmount: null, liquidityThreshold: null }).ok,
    ).toBe(true)
  })

  it.each<[PeerSettings, string]>([
    [{ staticIlpAddress: 'nope' }, 'invalid_ilp_address'],
    [{ outgoing: { ...outgoing, endpoint: 'ftp://peer.example' } }, 'invalid_endpoint'],
    [{ outgoing: { ...outgoing, endpoint: 'peer.example/ilp' } }, 'invalid_endpoint'],
    [{ outgoing: { ...outgoing, authToken: '' } }, 'invalid_token'],
    [{ incomingTokens: ['ok', 'has space'] }, 'invalid_token'],
    [{ incomingTokens: ['same', 'same'] }, 'duplicate_incoming_token'],
    [
      { incomingTokens: Array.from({ length: incomingTokensMax + 1 }, (_, i) => `t${i}`) },
      'too_many_tokens',
    ],
    [{ name: 'n'.repeat(peerNameLengthMax + 1) }, 'invalid_name'],
    [{ maxPacketAmount: uint64Max + 1n }, 'invalid_max_packet_amount'],
    [{ maxPacketAmount: -1n }, 'invalid_max_packet_amount'],
    [{ liquidityThreshold: -1n }, 'invalid_threshold'],
  ])('refuses case %#', (settings, error) => {
    expect(checkPeerSettings({ ...valid, ...settings })).toEqual({ ok: false, error })
  })

  it('reports the address before anything else, as Rafiki does', () => {
    expect(checkPeerSettings({ staticIlpAddress: 'x', name: 'n'.repeat(1000) })).toEqual({
      ok: false,
      error: 'invalid_ilp_address',
    })
  })

  it('takes tokens of visible ASCII up to the length limit', () => {
    expect(isPeerToken('t'.repeat(peerTokenLengthMax))).toBe(true)
    expect(isPeerToken('t'.repeat(peerTokenLengthMax + 1))).toBe(false)
    expect(isPeerToken('AZaz09-._~+/=')).toBe(true)
    for (const bad of ['', 'a b', 'a\tb', 'tökén', 'a\u007f']) expect(isPeerToken(bad)).toBe(false)
  })

  it('takes absolute http and https endpoints', () => {
    expect(isPeerEndpoint('http://127.0.0.1:3002')).toBe(true)
    expect(isPeerEndpoint('https://peer.example/ilp?x=1')).toBe(true)
    for (const bad of ['', '/ilp', 'mailto:a@b', 'http://', `https://a/${'x'.repeat(2048)}`]) {
      expect(isPeerEndpoint(bad)).toBe(false)
    }
  })
})
