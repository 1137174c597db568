// The GNAP `access_token` object of grant, continue and rotation responses (auth-server OpenAPI
// `access_token`), and the URIs of the authorization server's management endpoints.
import type { AccessToken } from '../../domain/auth/access-token.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import type { AuthSecrets } from '../ports/auth-secrets.ts'
import type { IdGenerator } from '../ports/ids.ts'

export type AccessTokenResponse = {
  readonly value: string
  /** POST rotates, DELETE revokes; `Authorization: GNAP <value>`. */
  readonly manage: string
  readonly expires_in: number
  readonly access: readonly AccessItem[]
}

const base = (authServerUrl: string) => authServerUrl.replace(/\/+$/, '')

export const manageUri = (authServerUrl: string, managementId: string): string =>
  `${base(authServerUrl)}/token/${managementId}`

export const continueUri = (authServerUrl: string, continueId: string): string =>
  `${base(authServerUrl)}/continue/${continueId}`

/** The user is sent here; GET /interact/{id}/{nonce} is served on the same port. */
export const interactUri = (authServerUrl: string, interactionId: string, nonce: string): string =>
  `${base(authServerUrl)}/interact/${interactionId}/${nonce}`

/** GNAP `continue`: the continue token and URI, and `wait` while the user has not decided. */
export type ContinueResponse = {
  readonly access_token: { readonly value: string }
  readonly uri: string
  readonly wait?: number
}

export const continueResponse = (
  authServerUrl: string,
  grant: { readonly continueId: string; readonly continueToken: string },
  waitSeconds?: number,
): ContinueResponse => ({
  access_token: { value: grant.continueToken },
  uri: continueUri(authServerUrl, grant.continueId),
  ...(waitSeconds !== undefined && { wait: waitSeconds }),
})

export const accessTokenResponse = (
  authServerUrl: string,
  token: AccessToken,
  access: readonly AccessItem[],
): AccessTokenResponse => ({
  value: token.value,
  manage: manageUri(authServerUrl, token.managementId),
  expires_in: token.expiresInSeconds,
  access,
})

/**
 * Compares a presented secret with the stored one without returning early on the first
 * difference, so the time taken does not tell how much of it was right.
 */
export function secretsEqual(presented: string, stored: string): boolean {
  let diff = presented.length ^ stored.length
  for (let i = 0; i < stored.length; i += 1) {
    diff |= (presented.charCodeAt(i) || 0) ^ stored.charCodeAt(i)
  }
  return diff === 0
}

export type TokenMintDeps = {
  readonly ids: IdGenerator
  readonly secrets: AuthSecrets
  readonly config: { readonly accessTokenExpirySeconds: number }
}

/** A new access token of a grant: a random value, its management id, ACCESS_TOKEN_EXPIRY_SECONDS. */
export const newAccessToken = (deps: TokenMintDeps, grantId: string, at: Date): AccessToken => ({
  id: deps.ids.uuid(),
  grantId,
  value: deps.secrets.secret(),
  managementId: deps.ids.uuid(),
  expiresInSeconds: deps.config.accessTokenExpirySeconds,
  createdAt: at,
})
