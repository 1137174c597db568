// The GNAP `access_token` object of grant, continue and rotation responses (auth-server OpenAPI
// `access_token`), and the URIs of the authorization server's management endpoints.
import type { AccessToken } from '../../domain/auth/access-token.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'

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
