// The resource server's introspection port answered by the embedded authorization server in the
// same process: the same contract as the HTTP adapter, without the HTTP hop.
import { createHash } from 'node:crypto'
import type { IntrospectToken } from '../../application/auth/introspect-token.ts'
import type { TokenIntrospection } from '../../application/ports/token-introspection.ts'
import type { GrantClient } from '../../domain/auth/grant.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { ok } from '../../domain/shared/result.ts'

export function makeInProcessTokenIntrospection(introspect: IntrospectToken): TokenIntrospection {
  return {
    async introspect({ accessToken, access }) {
      const info = await introspect({ accessToken, access })
      if (!info.active) return ok({ active: false })
      const client = clientIdentity(info.client)
      return ok({ active: true, grant: info.grant, access: info.access, ...client })
    },
  }
}

function clientIdentity(client: GrantClient): { client: string; clientKey?: Jwk } {
  if ('walletAddress' in client) return { client: client.walletAddress }
  return { client: jwkThumbprintUrn(client.jwk), clientKey: client.jwk }
}

/** RFC 9278 URN of the key's RFC 7638 SHA-256 thumbprint: a stable name for a bare key. */
export function jwkThumbprintUrn(jwk: Jwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })
  const digest = createHash('sha256').update(canonical).digest('base64url')
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${digest}`
}
