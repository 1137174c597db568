/** Unguessable values of the authorization server. */
export interface AuthSecrets {
  /**
   * A new random value with at least tokenEntropyBitsMin (160) bits: access token values,
   * continue tokens, interaction nonces and refs, token management ids.
   */
  secret(): string
}
