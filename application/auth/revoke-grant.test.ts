import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { storeIssuedGrant } from './auth-test-fixtures.ts'
import { makeIntrospectToken } from './introspect-token.ts'
import { makeRevokeGrantByContinuation } from './revoke-grant.ts'

async function setup() {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const stored = await storeIssuedGrant(grants, new Date(clock.now()), [
    { type: 'quote', actions: ['create'] },
  ])
  return {
    clock,
    grants,
    ...stored,
    revoke: makeRevokeGrantByContinuation({ grants, clock }),
    introspect: makeIntrospectToken({ grants, clock }),
  }
}

describe('revokeGrantByContinuation', () => {
  it('revokes the grant and its tokens with the continue token', async () => {
    const { revoke, grant, token, grants, introspect, clock } = await setup()
    clock.advance(1_000)
    const { continueId, continueToken } = grant
    expect(await introspect({ accessToken: token.value })).toMatchObject({ active: true })
    expect(await revoke({ continueId, continueToken })).toEqual({ ok: true, value: undefined })
    expect(await grants.findById(grant.id)).toMatchObject({
      state: 'FINALIZED',
      finalizationReason: 'REVOKED',
      updatedAt: new Date(clock.now()),
    })
    expect(await introspect({ accessToken: token.value })).toEqual({ active: false })
    expect(await revoke({ continueId, continueToken })).toEqual({
      ok: false,
      error: 'invalid_transition',
    })
  })

  it('refuses an unknown continue id or a wrong token and revokes nothing', async () => {
    const { revoke, grant, token, introspect } = await setup()
    const { continueId, continueToken } = grant
    expect(await revoke({ continueId: 'nope', continueToken })).toEqual({
      ok: false,
      error: 'unknown_continuation',
    })
    expect(await revoke({ continueId, continueToken: token.value })).toEqual({
      ok: false,
      error: 'unknown_continuation',
    })
    expect(await introspect({ accessToken: token.value })).toMatchObject({ active: true })
  })
})
