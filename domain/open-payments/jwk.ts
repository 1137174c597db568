/**
 * An Ed25519 public key as Open Payments publishes it at `{wallet address}/jwks.json`
 * (wallet-address-server OpenAPI `json-web-key`): the only key type clients sign with.
 */
export type Jwk = {
  readonly kid: string
  readonly alg: 'EdDSA'
  readonly kty: 'OKP'
  readonly crv: 'Ed25519'
  /** The 32-byte public key, base64url without padding. */
  readonly x: string
  readonly use?: 'sig'
}
