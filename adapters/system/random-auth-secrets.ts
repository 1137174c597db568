import { tokenEntropyBitsMin } from '../../domain/auth/access-token.ts'
import type { AuthSecrets } from '../../application/ports/auth-secrets.ts'

const secretBytes = tokenEntropyBitsMin / 8

// Upper-case hex as Rafiki's tokens, but 160 bits instead of its 64. Web Crypto: all runtimes.
export const randomAuthSecrets: AuthSecrets = {
  secret: () =>
    Array.from(crypto.getRandomValues(new Uint8Array(secretBytes)), (byte) =>
      byte.toString(16).padStart(2, '0'),
    )
      .join('')
      .toUpperCase(),
}
