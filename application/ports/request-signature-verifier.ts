import type { Jwk } from '../../domain/open-payments/jwk.ts'
import type { Result } from '../../domain/shared/result.ts'

/** Case-insensitive header lookup; a fetch `Headers` (hono's `c.req.raw.headers`) is one. */
export type HeaderLookup = {
  /** The field value, several lines joined with ", "; null when absent. */
  get(name: string): string | null
}

/** An incoming request as its signature covers it. */
export type SignedRequest = {
  readonly method: string
  /** The absolute URL the client addressed (`@target-uri`): scheme, host, path and query. */
  readonly url: string
  readonly headers: HeaderLookup
  /** The raw body text; undefined or '' when there is none. */
  readonly body: string | undefined
}

export type SignatureError =
  /** No Signature or no Signature-Input header. */
  | 'missing_signature'
  /** Unparsable headers, no usable label, no keyid, or components that do not cover enough. */
  | 'malformed_signature'
  /** No Ed25519 key with the signature's keyid among the client's keys. */
  | 'unknown_key'
  /** The signature does not verify (or names an algorithm other than ed25519). */
  | 'bad_signature'
  /** Content-Digest missing a supported algorithm, or not matching the body. */
  | 'bad_digest'
  /** Created too long ago, in the future, past its expires, or undated when an age is required. */
  | 'stale_signature'

export type SignatureCheckOptions = {
  /** The verifier's clock, ms since the epoch. */
  readonly nowMs: number
  /** Oldest acceptable `created`; absent: any age (Rafiki checks none). */
  readonly maxAgeSeconds?: number
}

// RFC 9421 HTTP message signatures, as Open Payments clients sign every request with Ed25519.
export interface RequestSignatureVerifier {
  /** Never throws: every malformed input is an error value. */
  verify(
    request: SignedRequest,
    keys: readonly Jwk[],
    options: SignatureCheckOptions,
  ): Result<{ readonly keyId: string }, SignatureError>
}
