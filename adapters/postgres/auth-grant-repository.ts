import type { Sql, TransactionSql } from 'postgres'
import { tokenExpiresAtMs, type AccessToken } from '../../domain/auth/access-token.ts'
import {
  finalizationReasons,
  grantStates,
  approveGrant,
  finalizeGrant,
  isGrantLive,
  rejectGrant,
  revokeGrant,
  type GrantStateChange,
  type Grant,
  type GrantWithAccess,
} from '../../domain/auth/grant.ts'
import { interactionStates, type Interaction } from '../../domain/auth/interaction.ts'
import type { Jwk } from '../../domain/open-payments/jwk.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type {
  AuthGrantRepository,
  GrantFilter,
} from '../../application/ports/auth-grant-repository.ts'
import { keysetPage } from './keyset-page.ts'
import { accessFromRow, limitsToJson, type AccessRow } from './auth-access-rows.ts'

type GrantRow = {
  id: string
  state: string
  finalization_reason: string | null
  client_wallet_address: string | null
  client_jwk: Jwk | null
  continue_id: string
  continue_token: string
  wait_seconds: number
  start_methods: string[] | null
  finish_method: string | null
  finish_uri: string | null
  client_nonce: string | null
  last_continued_at: Date
  created_at: Date
  updated_at: Date
}

type TokenRow = {
  id: string
  grant_id: string
  value: string
  management_id: string
  expires_in_seconds: number
  created_at: Date
  revoked_at: Date | null
}

type TokenColumns = {
  t_id: string
  t_value: string
  t_management_id: string
  t_expires_in_seconds: number
  t_created_at: Date
  t_revoked_at: Date | null
  t_access: AccessRow[]
}

type InteractionRow = {
  id: string
  grant_id: string
  nonce: string
  ref: string
  state: string
  expires_in_seconds: number
  created_at: Date
  finished_at: Date | null
}

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value)

function toGrant(row: GrantRow): Grant {
  assert(includes(grantStates, row.state), `auth_grants ${row.id} has state ${row.state}`)
  const reason = row.finalization_reason
  assert(reason === null || includes(finalizationReasons, reason), `auth_grants ${row.id} reason`)
  const client = row.client_wallet_address
    ? { walletAddress: row.client_wallet_address }
    : { jwk: row.client_jwk as Jwk }
  const finish =
    row.finish_uri !== null && row.client_nonce !== null
      ? { finish: { method: 'redirect' as const, uri: row.finish_uri, nonce: row.client_nonce } }
      : {}
  return {
    id: row.id,
    state: row.state,
    ...(reason !== null && { finalizationReason: reason }),
    client,
    continueId: row.continue_id,
    continueToken: row.continue_token,
    ...(row.start_methods && { interact: { start: ['redirect' as const], ...finish } }),
    waitSeconds: row.wait_seconds,
    lastContinuedAt: row.last_continued_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const toToken = (row: TokenRow): AccessToken => ({
  id: row.id,
  grantId: row.grant_id,
  value: row.value,
  managementId: row.management_id,
  expiresInSeconds: row.expires_in_seconds,
  createdAt: row.created_at,
  ...(row.revoked_at && { revokedAt: row.revoked_at }),
})

function toInteraction(row: InteractionRow): Interaction {
  assert(includes(interactionStates, row.state), `auth_interactions ${row.id} state`)
  return {
    id: row.id,
    grantId: row.grant_id,
    nonce: row.nonce,
    ref: row.ref,
    state: row.state,
    expiresInSeconds: row.expires_in_seconds,
    createdAt: row.created_at,
    ...(row.finished_at && { finishedAt: row.finished_at }),
  }
}

async function withAccess(sql: Sql | TransactionSql, grant: Grant): Promise<GrantWithAccess> {
  const rows = await sql<AccessRow[]>`
    select type, actions, identifier, limits from auth_access
    where grant_id = ${grant.id} order by position`
  return { ...grant, access: rows.map(accessFromRow) }
}

async function insertToken(tx: TransactionSql, token: AccessToken): Promise<void> {
  await tx`
    insert into auth_access_tokens (id, grant_id, value, management_id, expires_in_seconds,
                                    created_at, expires_at, revoked_at)
    values (${token.id}, ${token.grantId}, ${token.value}, ${token.managementId},
            ${token.expiresInSeconds}, ${token.createdAt}, ${new Date(tokenExpiresAtMs(token))},
            ${token.revokedAt ?? null})`
}

async function setState(tx: TransactionSql, id: string, change: GrantStateChange, at: Date) {
  await tx`
    update auth_grants set state = ${change.state},
      finalization_reason = ${change.finalizationReason ?? null}, updated_at = ${at}
    where id = ${id}`
}

function grantFilterSql(sql: Sql, filter: GrantFilter) {
  const parts = [sql`true`]
  const identifiers = filter.identifier?.in
  if (identifiers) {
    parts.push(sql`exists (select 1 from auth_access a where a.grant_id = auth_grants.id
                           and a.identifier = any(${[...identifiers]}::text[]))`)
  }
  if (filter.state?.in) parts.push(sql`state = any(${[...filter.state.in]}::text[])`)
  if (filter.state?.notIn) parts.push(sql`state <> all(${[...filter.state.notIn]}::text[])`)
  const reason = filter.finalizationReason
  if (reason?.in) parts.push(sql`finalization_reason = any(${[...reason.in]}::text[])`)
  if (reason?.notIn) {
    parts.push(sql`(finalization_reason is null
                    or finalization_reason <> all(${[...reason.notIn]}::text[]))`)
  }
  return parts.reduce((all, part) => sql`${all} and ${part}`)
}

/** The auth server's tables; rotation and grant revocation lock the grant row first. */
export function makePostgresAuthGrantRepository(sql: Sql): AuthGrantRepository {
  const grantById = async (db: Sql | TransactionSql, id: string, lock = false) => {
    const [row] = lock
      ? await db<GrantRow[]>`select * from auth_grants where id = ${id} for update`
      : await db<GrantRow[]>`select * from auth_grants where id = ${id}`
    return row && toGrant(row)
  }
  // Introspection's lookup: the token, its grant and the grant's access in one round trip.
  const tokenWithGrant = async (where: ReturnType<typeof sql>) => {
    const [row] = await sql<(GrantRow & TokenColumns)[]>`
      select g.*, t.id as t_id, t.value as t_value, t.management_id as t_management_id,
             t.expires_in_seconds as t_expires_in_seconds, t.created_at as t_created_at,
             t.revoked_at as t_revoked_at,
             (select coalesce(json_agg(json_build_object('type', a.type, 'actions', a.actions,
                        'identifier', a.identifier, 'limits', a.limits) order by a.position),
                      '[]'::json)
              from auth_access a where a.grant_id = g.id) as t_access
      from auth_access_tokens t join auth_grants g on g.id = t.grant_id
      where ${where}`
    if (!row) return undefined
    const token = toToken({
      id: row.t_id,
      grant_id: row.id,
      value: row.t_value,
      management_id: row.t_management_id,
      expires_in_seconds: row.t_expires_in_seconds,
      created_at: row.t_created_at,
      revoked_at: row.t_revoked_at,
    })
    return { token, grant: { ...toGrant(row), access: row.t_access.map(accessFromRow) } }
  }
  return {
    async create({ grant, access, token, interaction }) {
      return sql.begin(async (tx) => {
        const interact = grant.interact
        await tx`
          insert into auth_grants (id, state, finalization_reason, client_wallet_address,
            client_jwk, continue_id, continue_token, wait_seconds, start_methods, finish_method,
            finish_uri, client_nonce, last_continued_at, created_at, updated_at)
          values (${grant.id}, ${grant.state}, ${grant.finalizationReason ?? null},
            ${'walletAddress' in grant.client ? grant.client.walletAddress : null},
            ${'jwk' in grant.client ? tx.json(grant.client.jwk) : null},
            ${grant.continueId}, ${grant.continueToken}, ${grant.waitSeconds},
            ${interact ? [...interact.start] : null}, ${interact?.finish ? 'redirect' : null},
            ${interact?.finish?.uri ?? null}, ${interact?.finish?.nonce ?? null},
            ${grant.lastContinuedAt}, ${grant.createdAt}, ${grant.updatedAt})`
        for (const [position, item] of access.entries()) {
          await tx`
            insert into auth_access (grant_id, position, type, actions, identifier, limits)
            values (${grant.id}, ${position}, ${item.type}, ${[...item.actions]},
                    ${item.identifier ?? null},
                    ${item.limits ? tx.json(limitsToJson(item.limits)) : null})`
        }
        if (token) await insertToken(tx, token)
        if (interaction) {
          await tx`
            insert into auth_interactions (id, grant_id, nonce, ref, state, expires_in_seconds,
                                           created_at, finished_at)
            values (${interaction.id}, ${grant.id}, ${interaction.nonce}, ${interaction.ref},
                    ${interaction.state}, ${interaction.expiresInSeconds},
                    ${interaction.createdAt}, ${interaction.finishedAt ?? null})`
        }
        return { ...grant, access }
      })
    },
    async findById(id) {
      const grant = await grantById(sql, id)
      return grant && withAccess(sql, grant)
    },
    async list(filter, request) {
      const page = await keysetPage(sql, {
        table: 'auth_grants',
        where: grantFilterSql(sql, filter),
        request,
        map: toGrant,
      })
      if (!page.ok) return page
      if (page.value.items.length === 0) return ok({ ...page.value, items: [] })
      const ids = page.value.items.map((grant) => grant.id)
      const rows = await sql<(AccessRow & { grant_id: string })[]>`
        select grant_id, type, actions, identifier, limits from auth_access
        where grant_id in ${sql(ids)} order by grant_id, position`
      const items = page.value.items.map((grant) => ({
        ...grant,
        access: rows.filter((row) => row.grant_id === grant.id).map(accessFromRow),
      }))
      return ok({ ...page.value, items })
    },
    async findByContinueId(continueId) {
      const [row] = await sql<GrantRow[]>`
        select * from auth_grants where continue_id = ${continueId}`
      if (!row) return undefined
      const grant = await withAccess(sql, toGrant(row))
      const [interaction] = await sql<InteractionRow[]>`
        select * from auth_interactions where grant_id = ${row.id}
        order by created_at desc limit 1`
      return interaction ? { grant, interaction: toInteraction(interaction) } : { grant }
    },
    async findTokenByValue(value) {
      return tokenWithGrant(sql`t.value = ${value}`)
    },
    async findTokenByManagementId(managementId) {
      return tokenWithGrant(sql`t.management_id = ${managementId}`)
    },
    async rotateToken(managementId, replacement, at) {
      return sql.begin(async (tx) => {
        const [old] = await tx<TokenRow[]>`
          select * from auth_access_tokens where management_id = ${managementId}`
        if (!old) return err('unknown_token' as const)
        // The grant's row lock orders this rotation with other rotations and a grant revocation.
        const grant = await grantById(tx, old.grant_id, true)
        assert(grant, `auth_access_tokens ${old.id} has no grant`)
        if (!isGrantLive(grant)) return err('grant_not_live' as const)
        const revoked = await tx`
          update auth_access_tokens set revoked_at = ${at}
          where id = ${old.id} and revoked_at is null returning id`
        if (revoked.length === 0) return err('token_revoked' as const)
        const token: AccessToken = { ...replacement, grantId: grant.id }
        await insertToken(tx, token)
        return ok(token)
      })
    },
    async issueToken(token, at) {
      return sql.begin(async (tx) => {
        const grant = await grantById(tx, token.grantId, true)
        if (!grant) return err('unknown_grant' as const)
        const change = finalizeGrant(grant)
        if (!change.ok) return change
        await setState(tx, grant.id, change.value, at)
        await insertToken(tx, token)
        return ok(token)
      })
    },
    async recordContinuation(grantId, seen, at) {
      const rows = await sql`
        update auth_grants set last_continued_at = ${at}
        where id = ${grantId} and last_continued_at = ${seen} returning id`
      return rows.length > 0
    },
    async findInteraction(id, nonce) {
      const [row] = await sql<InteractionRow[]>`
        select * from auth_interactions where id = ${id} and nonce = ${nonce}`
      if (!row) return undefined
      const grant = await grantById(sql, row.grant_id)
      assert(grant, `auth_interactions ${row.id} has no grant`)
      return { interaction: toInteraction(row), grant: await withAccess(sql, grant) }
    },
    async decideInteraction(id, decision, at) {
      return sql.begin(async (tx) => {
        const [found] = await tx<{ grant_id: string }[]>`
          select grant_id from auth_interactions where id = ${id}`
        if (!found) return err('unknown_interaction' as const)
        const grant = await grantById(tx, found.grant_id, true)
        assert(grant, `auth_interactions ${id} has no grant`)
        // Read after the grant's lock, so a concurrent decision is seen.
        const [row] = await tx<InteractionRow[]>`select * from auth_interactions where id = ${id}`
        if (row?.state !== 'PENDING') return err('already_decided' as const)
        const change = decision === 'APPROVED' ? approveGrant(grant) : rejectGrant(grant)
        if (!change.ok) return change
        await setState(tx, grant.id, change.value, at)
        await tx`update auth_interactions set state = ${decision} where id = ${id}`
        return ok(await withAccess(tx, { ...grant, ...change.value, updatedAt: at }))
      })
    },
    async finishInteraction(id, at) {
      const rows = await sql`
        update auth_interactions set finished_at = ${at}
        where id = ${id} and state <> 'PENDING' and finished_at is null returning id`
      return rows.length > 0
    },
    async revokeToken(managementId, at) {
      const rows = await sql`
        update auth_access_tokens set revoked_at = ${at}
        where management_id = ${managementId} and revoked_at is null returning id`
      return rows.length > 0
    },
    async revokeGrant(grantId, at) {
      return sql.begin(async (tx) => {
        const grant = await grantById(tx, grantId, true)
        if (!grant) return err('unknown_grant' as const)
        const change = revokeGrant(grant)
        if (!change.ok) return change
        await setState(tx, grantId, change.value, at)
        await tx`
          update auth_access_tokens set revoked_at = ${at}
          where grant_id = ${grantId} and revoked_at is null`
        return ok({ ...grant, ...change.value, updatedAt: at })
      })
    },
    async deleteTokensDeadBefore(cutoff, limit) {
      const rows = await sql`
        delete from auth_access_tokens where id in (
          select id from auth_access_tokens where expires_at < ${cutoff}
          union
          select id from auth_access_tokens where revoked_at < ${cutoff}
          limit ${limit})
        returning id`
      return rows.length
    },
  }
}
