import { describe, expect, it } from 'vitest'
import type { Grant, GrantState } from '../../domain/auth/grant.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import {
  grantFilterValuesMax,
  makeGetGrant,
  makeListGrants,
  makeRevokeGrantByAdmin,
  normalizeGrantFilter,
} from './admin-grants.ts'
import { alice, bob, fakeIds, fakeSecrets, storeIssuedGrant } from './auth-test-fixtures.ts'

const forAlice: AccessItem = { type: 'incoming-payment', actions: ['read'], identifier: alice }
const forBob: AccessItem = { type: 'quote', actions: ['create'], identifier: bob }

/** A grant still waiting for the user, or one the user rejected. */
async function storeGrant(
  grants: AuthGrantRepository,
  at: Date,
  state: GrantState,
  access: readonly AccessItem[],
): Promise<Grant> {
  const grant: Grant = {
    id: fakeIds.uuid(),
    state,
    ...(state === 'FINALIZED' && { finalizationReason: 'REJECTED' as const }),
    client: { walletAddress: alice },
    continueId: fakeIds.uuid(),
    continueToken: fakeSecrets.secret(),
    waitSeconds: 5,
    lastContinuedAt: at,
    createdAt: at,
    updatedAt: at,
  }
  await grants.create({ grant, access })
  return grant
}

async function setup() {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const at = (offsetMs: number) => new Date(clock.now() + offsetMs)
  const issued = await storeIssuedGrant(grants, at(1), [forAlice])
  const pending = await storeGrant(grants, at(2), 'PENDING', [forBob])
  const rejected = await storeGrant(grants, at(3), 'FINALIZED', [forAlice, forBob])
  const revoked = await storeIssuedGrant(grants, at(4), [forBob])
  await grants.revokeGrant(revoked.grant.id, at(5))
  return {
    clock,
    grants,
    ids: { issued: issued.grant.id, pending: pending.id, rejected: rejected.id },
    revokedId: revoked.grant.id,
    issuedToken: issued.token,
    list: makeListGrants({ grants }),
    get: makeGetGrant({ grants }),
    revoke: makeRevokeGrantByAdmin({ grants, clock }),
  }
}

type Setup = Awaited<ReturnType<typeof setup>>
const idsOf = async (result: ReturnType<Setup['list']>) => {
  const page = await result
  if (!page.ok) throw new Error(page.error)
  return page.value.items.map((grant) => grant.id)
}

describe('listGrants', () => {
  it('lists every grant newest first by default, with its access', async () => {
    const { list, ids, revokedId } = await setup()
    expect(await idsOf(list({}, {}))).toEqual([revokedId, ids.rejected, ids.pending, ids.issued])
    const page = await list({}, { first: 1, sortOrder: 'ASC' })
    expect(page.ok && page.value.items[0]).toMatchObject({ id: ids.issued, access: [forAlice] })
  })

  it('filters by identifier, state and finalization reason', async () => {
    const { list, ids, revokedId } = await setup()
    const asc = { sortOrder: 'ASC' } as const
    expect(await idsOf(list({ identifier: { in: [alice] } }, asc))).toEqual([
      ids.issued,
      ids.rejected,
    ])
    expect(await idsOf(list({ state: { in: ['PENDING'] } }, asc))).toEqual([ids.pending])
    expect(await idsOf(list({ state: { notIn: ['FINALIZED'] } }, asc))).toEqual([ids.pending])
    expect(await idsOf(list({ finalizationReason: { in: ['REVOKED', 'ISSUED'] } }, asc))).toEqual([
      ids.issued,
      revokedId,
    ])
    // notIn keeps the grants that have no reason yet.
    expect(await idsOf(list({ finalizationReason: { notIn: ['REVOKED'] } }, asc))).toEqual([
      ids.issued,
      ids.pending,
      ids.rejected,
    ])
    const combined = { identifier: { in: [bob] }, state: { in: ['FINALIZED' as const] } }
    expect(await idsOf(list(combined, asc))).toEqual([ids.rejected, revokedId])
  })

  it('treats an empty filter list as no filter, as Rafiki does', async () => {
    const { list } = await setup()
    const empty = { identifier: { in: [] }, state: { in: [], notIn: [] } }
    expect(await idsOf(list(empty, {}))).toHaveLength(4)
    expect(normalizeGrantFilter(empty)).toEqual({})
    expect(normalizeGrantFilter({ state: { in: ['PENDING'], notIn: [] } })).toEqual({
      state: { in: ['PENDING'] },
    })
  })

  it('pages forwards and backwards with cursors', async () => {
    const { list, ids, revokedId } = await setup()
    const first = await list({}, { first: 2, sortOrder: 'ASC' })
    expect(first).toMatchObject({ ok: true, value: { hasNextPage: true, hasPreviousPage: false } })
    const second = await list({}, { first: 2, after: ids.pending, sortOrder: 'ASC' })
    expect(second.ok && second.value.items.map((g) => g.id)).toEqual([ids.rejected, revokedId])
    expect(second).toMatchObject({ value: { hasNextPage: false, hasPreviousPage: true } })
    const back = await list({}, { last: 1, before: ids.rejected, sortOrder: 'ASC' })
    expect(back.ok && back.value.items.map((g) => g.id)).toEqual([ids.pending])
  })

  it('refuses bad page arguments, an unknown cursor and an oversized filter', async () => {
    const { list } = await setup()
    expect(await list({}, { first: 0 })).toEqual({ ok: false, error: 'invalid_page_size' })
    expect(await list({}, { after: 'nope' })).toEqual({ ok: false, error: 'invalid_cursor' })
    expect(await list({}, { after: fakeIds.uuid() })).toEqual({
      ok: false,
      error: 'invalid_cursor',
    })
    const many = Array.from({ length: grantFilterValuesMax + 1 }, (_, i) => `${alice}${i}`)
    expect(await list({ identifier: { in: many } }, {})).toEqual({
      ok: false,
      error: 'too_many_filter_values',
    })
  })
})

describe('getGrant', () => {
  it('reads a grant with its access; unknown and malformed ids find nothing', async () => {
    const { get, ids } = await setup()
    expect(await get(ids.rejected)).toMatchObject({
      id: ids.rejected,
      state: 'FINALIZED',
      finalizationReason: 'REJECTED',
      access: [forAlice, forBob],
    })
    expect(await get(fakeIds.uuid())).toBeUndefined()
    expect(await get('not-a-uuid')).toBeUndefined()
  })
})

describe('revokeGrantByAdmin', () => {
  it('finalizes an issued grant as REVOKED and revokes its tokens', async () => {
    const { revoke, grants, ids, issuedToken, clock } = await setup()
    clock.advance(1_000)
    const result = await revoke(ids.issued)
    expect(result).toMatchObject({
      ok: true,
      value: { id: ids.issued, state: 'FINALIZED', finalizationReason: 'REVOKED' },
    })
    expect((await grants.findById(ids.issued))?.finalizationReason).toBe('REVOKED')
    const token = await grants.findTokenByValue(issuedToken.value)
    expect(token?.token.revokedAt).toEqual(new Date(clock.now()))
  })

  it('revokes a pending grant', async () => {
    const { revoke, ids } = await setup()
    expect(await revoke(ids.pending)).toMatchObject({
      ok: true,
      value: { state: 'FINALIZED', finalizationReason: 'REVOKED' },
    })
  })

  it('answers a revoked grant with success and changes nothing', async () => {
    const { revoke, grants, revokedId } = await setup()
    const before = await grants.findById(revokedId)
    const result = await revoke(revokedId)
    expect(result).toMatchObject({ ok: true, value: { id: revokedId, state: 'FINALIZED' } })
    expect(result.ok && 'access' in result.value).toBe(false)
    expect(await grants.findById(revokedId)).toEqual(before)
  })

  it('refuses a rejected grant, and unknown or malformed ids', async () => {
    const { revoke, grants, ids } = await setup()
    expect(await revoke(ids.rejected)).toEqual({ ok: false, error: 'invalid_transition' })
    expect((await grants.findById(ids.rejected))?.finalizationReason).toBe('REJECTED')
    expect(await revoke(fakeIds.uuid())).toEqual({ ok: false, error: 'unknown_grant' })
    expect(await revoke('')).toEqual({ ok: false, error: 'unknown_grant' })
  })
})
