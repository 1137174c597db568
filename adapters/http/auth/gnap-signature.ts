// Client authentication of the GNAP back channel: every call carries an RFC 9421 HTTP message
// signature by the client's key (as the Open Payments resource server verifies them), with a
// bounded age. A wallet address client's keys are at `{walletAddress}/jwks.json`; a directed-
// identity client brings its one key in the grant request.
import type { ClientKeys } from '../../../application/ports/client-keys.ts'
import type { Clock } from '../../../application/ports/clock.ts'
import type {
  RequestSignatureVerifier,
  SignatureError,
  SignedRequest,
} from '../../../application/ports/request-signature-verifier.ts'
import type { GrantClient } from '../../../domain/auth/grant.ts'
import type { Jwk } from '../../../domain/open-payments/jwk.ts'
import { err, ok, type Result } from '../../../domain/shared/result.ts'

export type GnapSignatureDeps = {
  readonly clientKeys: ClientKeys
  readonly signatures: RequestSignatureVerifier
  readonly clock: Clock
  /** Oldest acceptable signature `created` (300 s, as the resource server). */
  readonly signatureMaxAgeSeconds: number
}

export type ClientAuthError =
  | SignatureError
  /** The client's JWKS could not be fetched or is not a valid key set. */
  | 'client_keys_unavailable'

/** Checks that `request` is signed by `client`. Never throws. */
export type AuthenticateClient = (
  request: SignedRequest,
  client: GrantClient,
) => Promise<Result<void, ClientAuthError>>

export function makeAuthenticateClient(deps: GnapSignatureDeps): AuthenticateClient {
  const verify = (request: SignedRequest, keys: readonly Jwk[]) =>
    deps.signatures.verify(request, keys, {
      nowMs: deps.clock.now(),
      maxAgeSeconds: deps.signatureMaxAgeSeconds,
    })
  return async (request, client) => {
    // Unsigned requests cost no key fetch.
    if (request.headers.get('signature') === null) return err('missing_signature')
    if (request.headers.get('signature-input') === null) return err('missing_signature')
    if ('jwk' in client) {
      const verified = verify(request, [client.jwk])
      return verified.ok ? ok(undefined) : verified
    }
    const keys = await deps.clientKeys.getKeys(client.walletAddress)
    if (!keys.ok) return err('client_keys_unavailable')
    const verified = verify(request, keys.value)
    if (verified.ok) return ok(undefined)
    if (verified.error !== 'unknown_key') return verified
    // The client may have just added the key it signs with.
    const refreshed = await deps.clientKeys.getKeys(client.walletAddress, { refresh: true })
    if (!refreshed.ok) return err('client_keys_unavailable')
    const again = verify(request, refreshed.value)
    return again.ok ? ok(undefined) : again
  }
}

/** `Authorization: GNAP <token>`: the continue token or the managed access token. */
const gnapAuthorization = /^GNAP ([\x21-\x7e]{1,4096})$/

export const gnapToken = (authorization: string | null): string | undefined =>
  authorization === null ? undefined : gnapAuthorization.exec(authorization)?.[1]
