import type { AccessAction, AccessItem, AccessType } from '../../domain/open-payments/access.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import type { Result } from '../../domain/shared/result.ts'

/** One access item the resource server asks about (sent as `access` in the introspection body). */
export type IntrospectedAccess = {
  readonly type: AccessType
  readonly actions: readonly AccessAction[]
  readonly identifier?: string
}

export type IntrospectionRequest = {
  /** The token from `Authorization: GNAP <token>`. */
  readonly accessToken: string
  readonly access: readonly IntrospectedAccess[]
}

/** The auth server's answer: unknown, expired and revoked tokens are all just inactive. */
export type TokenInfo =
  | { readonly active: false }
  | {
      readonly active: true
      /** Grant id. */
      readonly grant: string
      /**
       * Wallet address URL of the client the grant was issued to; its keys sign requests. For a
       * directed-identity client (a bare key), an identifier of that key.
       */
      readonly client: string
      /** A directed-identity client's key: requests are verified with it, not a JWKS fetch. */
      readonly clientKey?: Jwk
      readonly access: readonly AccessItem[]
    }

export type IntrospectionError =
  /** Network failure, timeout, or a 5xx from the auth server. */
  | 'unreachable'
  /** A reply that is not a valid introspection response. */
  | 'invalid_response'

// Rafiki's resource server asks its auth server (AUTH_SERVER_INTROSPECTION_URL) about every token.
export interface TokenIntrospection {
  /** Never throws. */
  introspect(request: IntrospectionRequest): Promise<Result<TokenInfo, IntrospectionError>>
}
