import type { Grant } from '../../domain/receivers/grant.ts'
import type { GrantRepository } from '../../application/ports/grant-repository.ts'

/** In-process GrantRepository for unit tests; same rules as the SQL one. */
export function makeMemoryGrantRepository(): GrantRepository & { readonly all: () => Grant[] } {
  const rows = new Map<string, Grant>()
  const key = (authServer: string, accessType: string) => `${accessType} ${authServer}`
  return {
    async find(authServer, accessType) {
      return rows.get(key(authServer, accessType))
    },
    async save(grant) {
      rows.set(key(grant.authServer, grant.accessType), grant)
    },
    async delete(id) {
      for (const [k, grant] of rows) if (grant.id === id) rows.delete(k)
    },
    all: () => [...rows.values()],
  }
}
