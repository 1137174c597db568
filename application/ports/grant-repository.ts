import type { Grant } from '../../domain/receivers/grant.ts'
import type { AccessType } from '../../domain/open-payments/access.ts'

/** Grants this node holds at other authorization servers: one per server and access type. */
export interface GrantRepository {
  find(authServer: string, accessType: AccessType): Promise<Grant | undefined>
  /** Stores the grant, replacing the one of its server and access type (whatever its id). */
  save(grant: Grant): Promise<void>
  /** Forgets it; a no-op when it is already gone. */
  delete(id: string): Promise<void>
}
