import { describe, expect, it } from 'vitest'
import { decideContinuation } from './continuation.ts'
import {
  approveGrant,
  finalizeGrant,
  isGrantLive,
  rejectGrant,
  revokeGrant,
  type Grant,
  type GrantState,
  type FinalizationReason,
} from './grant.ts'

const at = new Date(Date.UTC(2025, 0, 1))
const grant = (state: GrantState, finalizationReason?: FinalizationReason): Grant => ({
  id: 'g1',
  state,
  ...(finalizationReason && { finalizationReason }),
  client: { walletAddress: 'https://wallet.example/alice' },
  continueId: 'c1',
  continueToken: 'T',
  waitSeconds: 5,
  lastContinuedAt: at,
  createdAt: at,
  updatedAt: at,
})

describe('grant transitions', () => {
  it('approves and rejects only a grant awaiting the user', () => {
    for (const state of ['PENDING', 'PROCESSING'] as const) {
      expect(approveGrant(grant(state))).toEqual({ ok: true, value: { state: 'APPROVED' } })
      expect(rejectGrant(grant(state))).toEqual({
        ok: true,
        value: { state: 'FINALIZED', finalizationReason: 'REJECTED' },
      })
    }
    for (const g of [grant('APPROVED'), grant('FINALIZED', 'ISSUED')]) {
      expect(approveGrant(g)).toEqual({ ok: false, error: 'invalid_transition' })
      expect(rejectGrant(g)).toEqual({ ok: false, error: 'invalid_transition' })
    }
  })

  it('finalizes only an approved grant, as ISSUED', () => {
    expect(finalizeGrant(grant('APPROVED'))).toEqual({
      ok: true,
      value: { state: 'FINALIZED', finalizationReason: 'ISSUED' },
    })
    expect(finalizeGrant(grant('PENDING')).ok).toBe(false)
    expect(finalizeGrant(grant('FINALIZED', 'ISSUED')).ok).toBe(false)
  })

  it('revokes a live or pending grant, never a rejected or revoked one', () => {
    for (const g of [grant('PENDING'), grant('APPROVED'), grant('FINALIZED', 'ISSUED')]) {
      expect(revokeGrant(g)).toEqual({
        ok: true,
        value: { state: 'FINALIZED', finalizationReason: 'REVOKED' },
      })
    }
    expect(revokeGrant(grant('FINALIZED', 'REJECTED')).ok).toBe(false)
    expect(revokeGrant(grant('FINALIZED', 'REVOKED')).ok).toBe(false)
  })

  it('counts only approved and issued grants as live', () => {
    expect(isGrantLive(grant('APPROVED'))).toBe(true)
    expect(isGrantLive(grant('FINALIZED', 'ISSUED'))).toBe(true)
    expect(isGrantLive(grant('PENDING'))).toBe(false)
    expect(isGrantLive(grant('FINALIZED', 'REVOKED'))).toBe(false)
    expect(isGrantLive(grant('FINALIZED', 'REJECTED'))).toBe(false)
  })
})

describe('continuation', () => {
  const now = at.getTime()
  it('refuses a wrong continue token', () => {
    expect(
      decideContinuation(grant('APPROVED'), { continueToken: 'X' }, undefined, now + 1e6),
    ).toEqual({ ok: false, error: 'invalid_continuation' })
  })

  it('is too_fast before wait seconds, then pending or issue', () => {
    const pending = grant('PENDING')
    expect(decideContinuation(pending, { continueToken: 'T' }, 'r', now + 4999)).toEqual({
      ok: false,
      error: 'too_fast',
    })
    expect(decideContinuation(pending, { continueToken: 'T' }, 'r', now + 5000)).toEqual({
      ok: true,
      value: 'pending',
    })
    expect(decideContinuation(grant('APPROVED'), { continueToken: 'T' }, 'r', now + 5000)).toEqual({
      ok: true,
      value: 'issue',
    })
  })

  it('with an interact_ref: issues at once when approved and the ref matches', () => {
    const request = { continueToken: 'T', interactRef: 'r' }
    expect(decideContinuation(grant('APPROVED'), request, 'r', now)).toEqual({
      ok: true,
      value: 'issue',
    })
    expect(decideContinuation(grant('APPROVED'), request, 'other', now).ok).toBe(false)
    expect(decideContinuation(grant('APPROVED'), request, undefined, now).ok).toBe(false)
    expect(decideContinuation(grant('PENDING'), request, 'r', now)).toEqual({
      ok: false,
      error: 'request_denied',
    })
  })

  it('says user_denied for a rejected grant and invalid_continuation once finalized otherwise', () => {
    const late = now + 1e6
    expect(
      decideContinuation(grant('FINALIZED', 'REJECTED'), { continueToken: 'T' }, 'r', late),
    ).toEqual({ ok: false, error: 'user_denied' })
    expect(
      decideContinuation(grant('FINALIZED', 'ISSUED'), { continueToken: 'T' }, 'r', late),
    ).toEqual({ ok: false, error: 'invalid_continuation' })
  })
})
