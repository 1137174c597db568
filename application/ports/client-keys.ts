import type { Jwk } from '../../domain/open-payments/jwk.ts'
import type { Result } from '../../domain/shared/result.ts'

export type ClientKeysError =
  /** Network failure, timeout or a non-200 reply from the client's wallet address server. */
  | 'unreachable'
  /** A reply that is not a valid JWK set, or a client URL that is not http(s). */
  | 'invalid_keys'

export type GetKeysOptions = {
  /**
   * Look again even if keys are cached (a signature names a key we do not have: the client may
   * have just added it). Adapters may still answer from a very recent fetch.
   */
  readonly refresh?: boolean
}

// The keys a client signs its requests with, published at `{client wallet address}/jwks.json`.
export interface ClientKeys {
  /** Never throws. */
  getKeys(
    clientWalletAddressUrl: string,
    options?: GetKeysOptions,
  ): Promise<Result<readonly Jwk[], ClientKeysError>>
}
