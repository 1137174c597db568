// A client's Ed25519 public key as Open Payments writes it (wallet-address-server OpenAPI
// `json-web-key`; also a directed-identity client's `jwk`): the one key type clients sign with.
import * as v from 'valibot'
import type { Jwk } from '../../domain/open-payments/jwk.ts'

const kidLengthMax = 256

export const ed25519JwkSchema = v.pipe(
  v.object({
    kid: v.pipe(v.string(), v.nonEmpty(), v.maxLength(kidLengthMax)),
    alg: v.literal('EdDSA'),
    kty: v.literal('OKP'),
    crv: v.literal('Ed25519'),
    x: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte base64url key')),
    use: v.optional(v.literal('sig')),
  }),
  // Without an absent `use` written as undefined: Jwk's `use` is optional, not undefined.
  v.transform(({ use, ...key }): Jwk => (use === undefined ? key : { ...key, use })),
)
