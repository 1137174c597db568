import type { Sql } from 'postgres'
import {
  accessActions,
  accessTypes,
  type AccessAction,
  type AccessType,
} from '../../domain/open-payments/access.ts'
import type { Grant } from '../../domain/receivers/grant.ts'
import { assert } from '../../domain/shared/assert.ts'
import type { GrantRepository } from '../../application/ports/grant-repository.ts'

type GrantRow = {
  id: string
  auth_server: string
  access_type: string
  access_actions: string[]
  access_token: string
  management_url: string
  expires_at: Date | null
}

const isAccessType = (value: string): value is AccessType =>
  (accessTypes as readonly string[]).includes(value)
const isAccessAction = (value: string): value is AccessAction =>
  (accessActions as readonly string[]).includes(value)

const toGrant = (row: GrantRow): Grant => {
  const { access_type: accessType, access_actions: actions } = row
  assert(isAccessType(accessType), `grants row ${row.id} has access type ${accessType}`)
  assert(actions.every(isAccessAction), `grants row ${row.id} has actions ${actions.join(',')}`)
  return {
    id: row.id,
    authServer: row.auth_server,
    accessType,
    actions,
    accessToken: row.access_token,
    managementUrl: row.management_url,
    expiresAt: row.expires_at,
  }
}

export function makePostgresGrantRepository(sql: Sql): GrantRepository {
  return {
    async find(authServer, accessType) {
      const [row] = await sql<GrantRow[]>`
        select * from grants where auth_server = ${authServer} and access_type = ${accessType}`
      return row && toGrant(row)
    },
    async save(grant) {
      await sql`
        insert into grants (id, auth_server, access_type, access_actions, access_token,
                            management_url, expires_at)
        values (${grant.id}, ${grant.authServer}, ${grant.accessType},
                ${sql.array([...grant.actions])}, ${grant.accessToken}, ${grant.managementUrl},
                ${grant.expiresAt})
        on conflict (auth_server, access_type) do update set
          id = excluded.id, access_actions = excluded.access_actions,
          access_token = excluded.access_token, management_url = excluded.management_url,
          expires_at = excluded.expires_at`
    },
    async delete(id) {
      await sql`delete from grants where id = ${id}`
    },
  }
}
