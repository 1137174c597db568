import { describe, expect, it } from 'vitest'
import type { AccessItem } from '../open-payments/access.ts'
import {
  coversRequestedAccess,
  isTokenActive,
  isTokenExpired,
  tokenDeletionCutoff,
  type AccessToken,
} from './access-token.ts'
import type { Grant } from './grant.ts'

const at = new Date(Date.UTC(2025, 0, 1))
const token: AccessToken = {
  id: 't1',
  grantId: 'g1',
  value: 'V',
  managementId: 'm1',
  expiresInSeconds: 600,
  createdAt: at,
}
const grant: Grant = {
  id: 'g1',
  state: 'APPROVED',
  client: { walletAddress: 'https://w.example/a' },
  continueId: 'c',
  continueToken: 'T',
  waitSeconds: 5,
  lastContinuedAt: at,
  createdAt: at,
  updatedAt: at,
}

describe('access token lifetime', () => {
  it('expires expiresInSeconds after creation', () => {
    expect(isTokenExpired(token, at.getTime() + 599_999)).toBe(false)
    expect(isTokenExpired(token, at.getTime() + 600_000)).toBe(true)
  })

  it('is deleted deletionDays after it died', () => {
    expect(tokenDeletionCutoff(Date.UTC(2025, 0, 31), 30)).toEqual(new Date(Date.UTC(2025, 0, 1)))
  })

  it('is active only unexpired, unrevoked, with a live grant', () => {
    const now = at.getTime() + 1000
    expect(isTokenActive(token, grant, now)).toBe(true)
    expect(isTokenActive({ ...token, revokedAt: at }, grant, now)).toBe(false)
    expect(isTokenActive(token, grant, at.getTime() + 600_000)).toBe(false)
    const revoked = { ...grant, state: 'FINALIZED', finalizationReason: 'REVOKED' } as const
    expect(isTokenActive(token, revoked, now)).toBe(false)
  })
})

describe('introspection matching', () => {
  const alice = 'https://w.example/alice'
  const items: AccessItem[] = [
    { type: 'incoming-payment', actions: ['create', 'read-all', 'list-all'] },
    { type: 'outgoing-payment', actions: ['create', 'read'], identifier: alice },
  ]

  it('read-all covers read and list-all covers list, not the reverse', () => {
    expect(coversRequestedAccess(items, [{ type: 'incoming-payment', actions: ['read'] }])).toBe(
      true,
    )
    expect(coversRequestedAccess(items, [{ type: 'incoming-payment', actions: ['list'] }])).toBe(
      true,
    )
    const readOnly: AccessItem[] = [{ type: 'quote', actions: ['read'] }]
    expect(coversRequestedAccess(readOnly, [{ type: 'quote', actions: ['read-all'] }])).toBe(false)
    expect(coversRequestedAccess(readOnly, [{ type: 'quote', actions: ['read'] }])).toBe(true)
  })

  it('needs every requested action and the right type', () => {
    expect(
      coversRequestedAccess(items, [{ type: 'incoming-payment', actions: ['create', 'complete'] }]),
    ).toBe(false)
    expect(coversRequestedAccess(items, [{ type: 'quote', actions: ['create'] }])).toBe(false)
    expect(coversRequestedAccess(items, [{ type: 'quote', actions: ['list'] }])).toBe(false)
  })

  it('matches an item bound to a wallet address only for that address', () => {
    const want = (identifier: string) => [
      { type: 'outgoing-payment' as const, actions: ['create' as const], identifier },
    ]
    expect(coversRequestedAccess(items, want(alice))).toBe(true)
    expect(coversRequestedAccess(items, want('https://w.example/bob'))).toBe(false)
    const bound: AccessItem[] = [{ type: 'quote', actions: ['read-all'], identifier: alice }]
    const readAll = (identifier: string) => [
      { type: 'quote' as const, actions: ['read-all' as const], identifier },
    ]
    expect(coversRequestedAccess(bound, readAll(alice))).toBe(true)
    expect(coversRequestedAccess(bound, readAll('https://w.example/bob'))).toBe(false)
  })
})
