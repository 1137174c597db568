import { describe, expect, it } from 'vitest'
import { makeIntrospectToken } from '../../application/auth/introspect-token.ts'
import { storeIssuedGrant } from '../../application/auth/auth-test-fixtures.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { makeMemoryAuthGrantRepository } from '../memory/memory-auth-grant-repository.ts'
import {
  jwkThumbprintUrn,
  makeInProcessTokenIntrospection,
} from './in-process-token-introspection.ts'

const at = new Date('2026-12-03T08:00:00Z')
const clock = { now: () => at.getTime() + 1000 }
const access = [
  { type: 'incoming-payment' as const, actions: ['create' as const, 'read' as const] },
]
// RFC 8037 appendix A.3's Ed25519 key and its RFC 7638 thumbprint.
const rfcKey: Jwk = {
  kid: 'k1',
  alg: 'EdDSA',
  kty: 'OKP',
  crv: 'Ed25519',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
}

describe('in-process token introspection', () => {
  it('answers a wallet address client by its URL, and inactive for unknown tokens', async () => {
    const grants = makeMemoryAuthGrantRepository()
    const { grant, token } = await storeIssuedGrant(grants, at, access)
    const port = makeInProcessTokenIntrospection(makeIntrospectToken({ grants, clock }))
    const active = await port.introspect({ accessToken: token.value, access: [] })
    expect(active).toEqual({
      ok: true,
      value: { active: true, grant: grant.id, client: 'https://wallet.example/alice', access },
    })
    const unknown = await port.introspect({ accessToken: 'nope', access: [] })
    expect(unknown).toEqual({ ok: true, value: { active: false } })
  })

  it('hands a directed-identity client’s key to the resource server, named by its thumbprint', async () => {
    const grants = makeMemoryAuthGrantRepository()
    const { token } = await storeIssuedGrant(grants, at, access, { client: { jwk: rfcKey } })
    const port = makeInProcessTokenIntrospection(makeIntrospectToken({ grants, clock }))
    const info = await port.introspect({ accessToken: token.value, access: [] })
    expect(info.ok && info.value.active && info.value.clientKey).toEqual(rfcKey)
    expect(info.ok && info.value.active && info.value.client).toBe(
      'urn:ietf:params:oauth:jwk-thumbprint:sha-256:kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
    )
    expect(jwkThumbprintUrn({ ...rfcKey, kid: 'other' })).toBe(jwkThumbprintUrn(rfcKey))
  })
})
