// Interactive grants waiting for the user, for the interaction tests (use cases and HTTP). Not a
// .test.ts file, so the dependency rule scans it: no adapter imports.
import type { Grant } from '../../domain/auth/grant.ts'
import type { Interaction } from '../../domain/auth/interaction.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import { alice, bob, fakeIds, fakeSecrets } from './auth-test-fixtures.ts'

export const clientFinishUri = 'https://client.example/finish?session=s1'
export const clientNonce = 'CLIENT-NONCE-1'
export const interactionExpirySeconds = 600

/** Up to 123.45 USD a month from alice to bob's incoming payment. */
export const outgoingAccess: AccessItem = {
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  limits: {
    receiver: `${bob}/incoming-payments/1`,
    debitAmount: { value: 12345n, assetCode: 'USD', assetScale: 2 },
    interval: 'R12/2025-01-01T00:00:00Z/P1M',
  },
}

export type PendingGrant = { readonly grant: Grant; readonly interaction: Interaction }

export async function storePendingGrant(
  grants: AuthGrantRepository,
  at: Date,
  options: {
    readonly access?: readonly AccessItem[]
    readonly grant?: Partial<Grant>
  } = {},
): Promise<PendingGrant> {
  const grant: Grant = {
    id: fakeIds.uuid(),
    state: 'PENDING',
    client: { walletAddress: alice },
    continueId: fakeIds.uuid(),
    continueToken: fakeSecrets.secret(),
    interact: {
      start: ['redirect'],
      finish: { method: 'redirect', uri: clientFinishUri, nonce: clientNonce },
    },
    waitSeconds: 5,
    lastContinuedAt: at,
    createdAt: at,
    updatedAt: at,
    ...options.grant,
  }
  const interaction: Interaction = {
    id: fakeIds.uuid(),
    grantId: grant.id,
    nonce: fakeSecrets.secret(),
    ref: fakeSecrets.secret(),
    state: 'PENDING',
    expiresInSeconds: interactionExpirySeconds,
    createdAt: at,
  }
  await grants.create({ grant, access: options.access ?? [outgoingAccess], interaction })
  return { grant, interaction }
}
