import { describe, expect, it } from 'vitest'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import {
  alice,
  authServerUrl,
  fakeIds,
  fakeSecrets,
  storeIssuedGrant,
} from './auth-test-fixtures.ts'
import { makeIntrospectToken } from './introspect-token.ts'
import { makeRotateToken } from './rotate-token.ts'

const quote: AccessItem = { type: 'quote', actions: ['create', 'read'], identifier: alice }

async function setup() {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const stored = await storeIssuedGrant(grants, new Date(clock.now()), [quote])
  const rotate = makeRotateToken({
    grants,
    clock,
    ids: fakeIds,
    secrets: fakeSecrets,
    config: { authServerUrl, accessTokenExpirySeconds: 300 },
  })
  return { clock, grants, ...stored, rotate, introspect: makeIntrospectToken({ grants, clock }) }
}

describe('rotateToken', () => {
  it('issues a new token with the same access and a new management URI; the old one dies', async () => {
    const { rotate, introspect, token, grant } = await setup()
    const result = await rotate({ managementId: token.managementId, accessToken: token.value })
    if (!result.ok) throw new Error(result.error)
    const fresh = result.value.access_token
    expect(fresh.value).not.toBe(token.value)
    expect(fresh.manage).toMatch(/^https:\/\/auth\.example\/token\/[0-9a-f-]{36}$/)
    expect(fresh.manage).not.toContain(token.managementId)
    expect(fresh).toMatchObject({ expires_in: 300, access: [quote] })
    expect(await introspect({ accessToken: token.value })).toEqual({ active: false })
    expect(await introspect({ accessToken: fresh.value })).toMatchObject({
      active: true,
      grant: grant.id,
    })
  })

  it('refuses a value that is not the managed token, and leaves the token alone', async () => {
    const { rotate, introspect, token } = await setup()
    const other = await rotate({ managementId: token.managementId, accessToken: `${token.value}X` })
    expect(other).toEqual({ ok: false, error: 'unknown_token' })
    const prefix = await rotate({
      managementId: token.managementId,
      accessToken: token.value.slice(0, -1),
    })
    expect(prefix).toEqual({ ok: false, error: 'unknown_token' })
    expect((await introspect({ accessToken: token.value })).active).toBe(true)
  })

  it('refuses an unknown management id', async () => {
    const { rotate, token } = await setup()
    const result = await rotate({ managementId: fakeIds.uuid(), accessToken: token.value })
    expect(result).toEqual({ ok: false, error: 'unknown_token' })
  })

  it('rotates an expired token (that is what rotation is for)', async () => {
    const { rotate, introspect, token, clock } = await setup()
    clock.advance(3_600_000)
    expect((await introspect({ accessToken: token.value })).active).toBe(false)
    const result = await rotate({ managementId: token.managementId, accessToken: token.value })
    if (!result.ok) throw new Error(result.error)
    const fresh = result.value.access_token.value
    expect((await introspect({ accessToken: fresh })).active).toBe(true)
  })

  it('refuses a revoked token', async () => {
    const { rotate, grants, token, clock } = await setup()
    await grants.revokeToken(token.managementId, new Date(clock.now()))
    const result = await rotate({ managementId: token.managementId, accessToken: token.value })
    expect(result).toEqual({ ok: false, error: 'token_revoked' })
  })

  it('refuses a token whose grant was revoked', async () => {
    const { rotate, grants, token, grant, clock } = await setup()
    await grants.revokeGrant(grant.id, new Date(clock.now()))
    const result = await rotate({ managementId: token.managementId, accessToken: token.value })
    expect(result).toEqual({ ok: false, error: 'grant_not_live' })
  })

  it('refuses a second rotation with the old token', async () => {
    const { rotate, token } = await setup()
    const request = { managementId: token.managementId, accessToken: token.value }
    expect((await rotate(request)).ok).toBe(true)
    expect(await rotate(request)).toEqual({ ok: false, error: 'token_revoked' })
  })

  it('lets exactly one of two concurrent rotations win', async () => {
    const { rotate, introspect, token } = await setup()
    const request = { managementId: token.managementId, accessToken: token.value }
    const results = await Promise.all([rotate(request), rotate(request)])
    const winners = results.filter((result) => result.ok)
    expect(winners).toHaveLength(1)
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, error: 'token_revoked' }])
    const winner = winners[0]
    if (!winner?.ok) throw new Error('no winner')
    expect((await introspect({ accessToken: winner.value.access_token.value })).active).toBe(true)
  })
})
