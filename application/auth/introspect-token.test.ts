import { describe, expect, it } from 'vitest'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { alice, bob, storeIssuedGrant } from './auth-test-fixtures.ts'
import { makeIntrospectToken } from './introspect-token.ts'

const incoming: AccessItem = {
  type: 'incoming-payment',
  actions: ['create', 'read-all'],
  identifier: alice,
}
const quote: AccessItem = { type: 'quote', actions: ['create', 'read'] }

async function setup(access: readonly AccessItem[] = [incoming, quote]) {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const stored = await storeIssuedGrant(grants, new Date(clock.now()), access)
  return { clock, grants, ...stored, introspect: makeIntrospectToken({ grants, clock }) }
}

describe('introspectToken', () => {
  it('describes an active token with its grant, client and all the access', async () => {
    const { introspect, grant, token } = await setup()
    expect(await introspect({ accessToken: token.value })).toEqual({
      active: true,
      grant: grant.id,
      client: { walletAddress: alice },
      access: [incoming, quote],
    })
  })

  it('is inactive for an unknown token', async () => {
    const { introspect } = await setup()
    expect(await introspect({ accessToken: 'NOT-A-TOKEN' })).toEqual({ active: false })
  })

  it('is inactive once the token expired, not a millisecond before', async () => {
    const { introspect, token, clock } = await setup()
    clock.advance(600_000 - 1)
    expect((await introspect({ accessToken: token.value })).active).toBe(true)
    clock.advance(1)
    expect(await introspect({ accessToken: token.value })).toEqual({ active: false })
  })

  it('is inactive at once after the token is revoked', async () => {
    const { introspect, token, grants, clock } = await setup()
    expect(await grants.revokeToken(token.managementId, new Date(clock.now()))).toBe(true)
    expect(await introspect({ accessToken: token.value })).toEqual({ active: false })
  })

  it('is inactive when the grant was revoked', async () => {
    const { introspect, token, grant, grants, clock } = await setup()
    expect((await grants.revokeGrant(grant.id, new Date(clock.now()))).ok).toBe(true)
    expect(await introspect({ accessToken: token.value })).toEqual({ active: false })
  })

  it('is inactive when the grant is not live even if the token is unrevoked', async () => {
    const clock = makeFakeClock()
    const grants = makeMemoryAuthGrantRepository()
    const { token } = await storeIssuedGrant(grants, new Date(clock.now()), [quote], {
      state: 'FINALIZED',
      finalizationReason: 'REJECTED',
    })
    const introspect = makeIntrospectToken({ grants, clock })
    expect(await introspect({ accessToken: token.value })).toEqual({ active: false })
  })

  it('is active when the requested access is covered (read-all covers read)', async () => {
    const { introspect, token } = await setup()
    const info = await introspect({
      accessToken: token.value,
      access: [
        { type: 'incoming-payment', actions: ['read', 'create'], identifier: alice },
        { type: 'quote', actions: ['create'], identifier: alice },
      ],
    })
    expect(info.active).toBe(true)
  })

  it('is inactive when one requested action is not covered', async () => {
    const { introspect, token } = await setup()
    const info = await introspect({
      accessToken: token.value,
      access: [
        { type: 'quote', actions: ['create'], identifier: alice },
        { type: 'incoming-payment', actions: ['complete'], identifier: alice },
      ],
    })
    expect(info).toEqual({ active: false })
  })

  it('is inactive for another wallet address than the item is bound to', async () => {
    const { introspect, token } = await setup()
    const info = await introspect({
      accessToken: token.value,
      access: [{ type: 'incoming-payment', actions: ['create'], identifier: bob }],
    })
    expect(info).toEqual({ active: false })
  })

  it('is inactive when read-all is requested and only read is granted', async () => {
    const { introspect, token } = await setup()
    const info = await introspect({
      accessToken: token.value,
      access: [{ type: 'quote', actions: ['read-all'] }],
    })
    expect(info).toEqual({ active: false })
  })
})
