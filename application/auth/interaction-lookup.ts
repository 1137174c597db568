// What the interaction use cases share: finding an interaction by its id and nonce (a revoked
// grant's interaction counts as unknown, as in Rafiki) and naming its client to the user.
import type { GrantClient, GrantWithAccess } from '../../domain/auth/grant.ts'
import type { AuthGrantRepository, InteractionWithGrant } from '../ports/auth-grant-repository.ts'
import type { ClientNames } from '../ports/client-names.ts'

/** Longer client names are cut: a remote wallet address controls its publicName. */
export const clientNameLengthMax = 255

export const isRevoked = (grant: GrantWithAccess): boolean =>
  grant.state === 'FINALIZED' && grant.finalizationReason === 'REVOKED'

export async function findLiveInteraction(
  grants: AuthGrantRepository,
  id: string,
  nonce: string,
): Promise<InteractionWithGrant | undefined> {
  const found = await grants.findInteraction(id, nonce)
  return found && !isRevoked(found.grant) ? found : undefined
}

/** The client as the user sees it. */
export type ClientDescription = {
  /** The wallet address's publicName, else its URL; for a bare key, a label with its key id. */
  readonly name: string
  /** The client's wallet address URL; empty for a directed-identity (bare key) client. */
  readonly uri: string
}

export async function describeClient(
  client: GrantClient,
  names: ClientNames | undefined,
): Promise<ClientDescription> {
  if (!('walletAddress' in client)) {
    return { name: `Unidentified client (key ${client.jwk.kid})`, uri: '' }
  }
  const uri = client.walletAddress
  const publicName = (await names?.publicName(uri))?.trim()
  const name = publicName ? publicName.slice(0, clientNameLengthMax) : uri
  return { name, uri }
}
