import type { Jwk } from '../open-payments/jwk.ts'
import { err, ok, type Result } from '../shared/result.ts'

export type { Jwk }

export type WalletAddressKey = {
  readonly id: string
  readonly walletAddressId: string
  /** jwk.kid, unique per wallet address. */
  readonly kid: string
  readonly jwk: Jwk
  readonly revoked: boolean
  readonly createdAt: Date
}

export type WalletAddressKeyError =
  'invalid_jwk' | 'unknown_wallet_address' | 'duplicate_key' | 'unknown_key'

/** What a caller submits: the fields of a JWK, not yet checked. */
export type JwkInput = {
  readonly kid: string
  readonly x: string
  readonly alg: string
  readonly kty: string
  readonly crv: string
}

// Rafiki keeps kid in a varchar(255) column.
export const kidLengthMax = 255

const ed25519KeyBytes = 32
// 32 bytes are 43 base64url characters; the last one carries 2 padding bits that must be zero,
// so only every fourth alphabet letter can end a canonical encoding.
const base64UrlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const encodedLength = Math.ceil((ed25519KeyBytes * 8) / 6)

/** True when `x` is the canonical unpadded base64url encoding of exactly 32 bytes. */
export function isEd25519PublicKey(x: string): boolean {
  if (x.length !== encodedLength) return false
  for (let i = 0; i < x.length; i += 1) {
    const index = base64UrlAlphabet.indexOf(x.charAt(i))
    if (index < 0) return false
    if (i === x.length - 1 && index % 4 !== 0) return false
  }
  return true
}

/** Checks every field: kid 1..255 characters, an Ed25519 `x`, and the three fixed values. */
export function validateJwk(input: JwkInput): Result<Jwk, 'invalid_jwk'> {
  const { kid, x, alg, kty, crv } = input
  if (kid.length === 0 || kid.length > kidLengthMax) return err('invalid_jwk')
  if (alg !== 'EdDSA' || kty !== 'OKP' || crv !== 'Ed25519') return err('invalid_jwk')
  if (!isEd25519PublicKey(x)) return err('invalid_jwk')
  return ok({ kid, x, alg, kty, crv })
}
