import { describe, expect, it } from 'vitest'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { alice, fakeIds, storeIssuedGrant } from './auth-test-fixtures.ts'
import { makeIntrospectToken } from './introspect-token.ts'
import { makeRevokeToken } from './revoke-token.ts'

const incoming: AccessItem = { type: 'incoming-payment', actions: ['read'], identifier: alice }

async function setup() {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const first = await storeIssuedGrant(grants, new Date(clock.now()), [incoming])
  const second = await storeIssuedGrant(grants, new Date(clock.now()), [incoming])
  return {
    clock,
    grants,
    token: first.token,
    otherToken: second.token,
    revoke: makeRevokeToken({ grants, clock }),
    introspect: makeIntrospectToken({ grants, clock }),
  }
}

describe('revokeToken', () => {
  it('revokes the token, which introspects inactive at once; other tokens stay', async () => {
    const { revoke, introspect, token, otherToken } = await setup()
    const result = await revoke({ managementId: token.managementId, accessToken: token.value })
    expect(result).toEqual({ ok: true, value: undefined })
    expect(await introspect({ accessToken: token.value })).toEqual({ active: false })
    expect((await introspect({ accessToken: otherToken.value })).active).toBe(true)
  })

  it("refuses another token's value and revokes nothing", async () => {
    const { revoke, introspect, token, otherToken } = await setup()
    const result = await revoke({
      managementId: token.managementId,
      accessToken: otherToken.value,
    })
    expect(result).toEqual({ ok: false, error: 'unknown_token' })
    expect((await introspect({ accessToken: token.value })).active).toBe(true)
    expect((await introspect({ accessToken: otherToken.value })).active).toBe(true)
  })

  it('refuses an unknown management id', async () => {
    const { revoke, token } = await setup()
    const result = await revoke({ managementId: fakeIds.uuid(), accessToken: token.value })
    expect(result).toEqual({ ok: false, error: 'unknown_token' })
  })

  it('says token_revoked the second time', async () => {
    const { revoke, token } = await setup()
    const request = { managementId: token.managementId, accessToken: token.value }
    expect((await revoke(request)).ok).toBe(true)
    expect(await revoke(request)).toEqual({ ok: false, error: 'token_revoked' })
  })

  it('revokes an expired token too, so it cannot be rotated back to life', async () => {
    const { revoke, grants, token, clock } = await setup()
    clock.advance(3_600_000)
    const result = await revoke({ managementId: token.managementId, accessToken: token.value })
    expect(result.ok).toBe(true)
    const stored = await grants.findTokenByManagementId(token.managementId)
    expect(stored?.token.revokedAt).toEqual(new Date(clock.now()))
  })
})
