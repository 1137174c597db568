// Grants and tokens for the auth use case tests (no adapter imports: this is not a .test.ts
// file, so the dependency rule scans it).
import type { AccessToken } from '../../domain/auth/access-token.ts'
import type { Grant } from '../../domain/auth/grant.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'

export const alice = 'https://wallet.example/alice'
export const bob = 'https://wallet.example/bob'
export const authServerUrl = 'https://auth.example/'

let counter = 0
const next = () => (counter += 1).toString(16).padStart(12, '0')
/** Distinct, predictable ids and secrets (the ports are faked in the tests). */
export const fakeIds = {
  uuid: () => `00000000-0000-4000-8000-${next()}`,
  orderedUuid: () => `00000000-0000-7000-8000-${next()}`,
}
export const fakeSecrets = { secret: () => `SECRET${next().padStart(34, '0')}` }

export async function storeIssuedGrant(
  grants: AuthGrantRepository,
  at: Date,
  access: readonly AccessItem[],
  grantExtra: Partial<Grant> = {},
): Promise<{ readonly grant: Grant; readonly token: AccessToken }> {
  const grant: Grant = {
    id: fakeIds.uuid(),
    state: 'FINALIZED',
    finalizationReason: 'ISSUED',
    client: { walletAddress: alice },
    continueId: fakeIds.uuid(),
    continueToken: fakeSecrets.secret(),
    waitSeconds: 5,
    lastContinuedAt: at,
    createdAt: at,
    updatedAt: at,
    ...grantExtra,
  }
  const token: AccessToken = {
    id: fakeIds.uuid(),
    grantId: grant.id,
    value: fakeSecrets.secret(),
    managementId: fakeIds.uuid(),
    expiresInSeconds: 600,
    createdAt: at,
  }
  await grants.create({ grant, access, token })
  return { grant, token }
}
