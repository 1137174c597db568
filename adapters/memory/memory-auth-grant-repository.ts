import { tokenExpiresAtMs, type AccessToken } from '../../domain/auth/access-token.ts'
import {
  approveGrant,
  finalizeGrant,
  isGrantLive,
  rejectGrant,
  revokeGrant,
  type GrantStateChange,
  type GrantWithAccess,
} from '../../domain/auth/grant.ts'
import type { Interaction } from '../../domain/auth/interaction.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok } from '../../domain/shared/result.ts'
import type {
  AuthGrantRepository,
  GrantFilter,
} from '../../application/ports/auth-grant-repository.ts'
import { pageOf } from './memory-page.ts'

function matches(grant: GrantWithAccess, filter: GrantFilter): boolean {
  const identifiers = filter.identifier?.in
  if (identifiers && !grant.access.some((a) => identifiers.includes(a.identifier ?? ''))) {
    return false
  }
  if (filter.state?.in && !filter.state.in.includes(grant.state)) return false
  if (filter.state?.notIn?.includes(grant.state)) return false
  const reason = grant.finalizationReason
  const reasons = filter.finalizationReason
  if (reasons?.in && (reason === undefined || !reasons.in.includes(reason))) return false
  return !(reason !== undefined && reasons?.notIn?.includes(reason))
}

/** In-process AuthGrantRepository for unit tests; same rules as the SQL one. */
export function makeMemoryAuthGrantRepository(): AuthGrantRepository {
  const grants = new Map<string, GrantWithAccess>()
  // By id; value and management id uniqueness are checked on insert, as the SQL UNIQUE does.
  const tokens = new Map<string, AccessToken>()
  const interactions: Interaction[] = []

  const checkTokenUnique = (token: AccessToken) => {
    for (const other of tokens.values()) {
      assert(other.value !== token.value, 'duplicate access token value')
      assert(other.managementId !== token.managementId, 'duplicate management id')
    }
  }
  const addToken = (token: AccessToken) => {
    checkTokenUnique(token)
    tokens.set(token.id, token)
  }
  const withGrant = (token: AccessToken | undefined) => {
    if (!token) return undefined
    const grant = grants.get(token.grantId)
    assert(grant, `token ${token.id} has no grant`)
    return { token, grant }
  }
  const setState = (grant: GrantWithAccess, change: GrantStateChange, at: Date) => {
    const { finalizationReason: _old, ...rest } = grant
    const updated = { ...rest, ...change, updatedAt: at }
    grants.set(grant.id, updated)
    return updated
  }
  const byManagementId = (managementId: string) =>
    [...tokens.values()].find((token) => token.managementId === managementId)

  return {
    async create({ grant, access, token, interaction }) {
      for (const other of grants.values()) {
        assert(other.continueId !== grant.continueId, 'duplicate continue id')
      }
      assert(!grants.has(grant.id), 'duplicate grant id')
      // Every check before the first write, so a refused grant leaves nothing behind.
      if (token) checkTokenUnique(token)
      const stored = { ...grant, access }
      grants.set(grant.id, stored)
      if (token) addToken(token)
      if (interaction) interactions.push(interaction)
      return stored
    },
    async findById(id) {
      return grants.get(id)
    },
    async list(filter, request) {
      return pageOf(
        [...grants.values()].filter((grant) => matches(grant, filter)),
        request,
      )
    },
    async findByContinueId(continueId) {
      const grant = [...grants.values()].find((g) => g.continueId === continueId)
      if (!grant) return undefined
      const interaction = interactions.findLast((i) => i.grantId === grant.id)
      return interaction ? { grant, interaction } : { grant }
    },
    async findTokenByValue(value) {
      return withGrant([...tokens.values()].find((token) => token.value === value))
    },
    async findTokenByManagementId(managementId) {
      return withGrant(byManagementId(managementId))
    },
    // No await between the checks and the writes: atomic in one event loop.
    async rotateToken(managementId, replacement, at) {
      const old = byManagementId(managementId)
      if (!old) return err('unknown_token')
      const grant = grants.get(old.grantId)
      assert(grant, `token ${old.id} has no grant`)
      if (!isGrantLive(grant)) return err('grant_not_live')
      if (old.revokedAt) return err('token_revoked')
      const token: AccessToken = { ...replacement, grantId: grant.id }
      addToken(token)
      tokens.set(old.id, { ...old, revokedAt: at })
      return ok(token)
    },
    async issueToken(token, at) {
      const grant = grants.get(token.grantId)
      if (!grant) return err('unknown_grant')
      const change = finalizeGrant(grant)
      if (!change.ok) return change
      addToken(token)
      setState(grant, change.value, at)
      return ok(token)
    },
    async recordContinuation(grantId, seen, at) {
      const grant = grants.get(grantId)
      if (!grant || grant.lastContinuedAt.getTime() !== seen.getTime()) return false
      grants.set(grantId, { ...grant, lastContinuedAt: at })
      return true
    },
    async findInteraction(id, nonce) {
      const interaction = interactions.find((i) => i.id === id && i.nonce === nonce)
      if (!interaction) return undefined
      const grant = grants.get(interaction.grantId)
      assert(grant, `interaction ${id} has no grant`)
      return { interaction, grant }
    },
    async decideInteraction(id, decision, at) {
      const index = interactions.findIndex((i) => i.id === id)
      const interaction = interactions[index]
      if (!interaction) return err('unknown_interaction')
      if (interaction.state !== 'PENDING') return err('already_decided')
      const grant = grants.get(interaction.grantId)
      assert(grant, `interaction ${id} has no grant`)
      const change = decision === 'APPROVED' ? approveGrant(grant) : rejectGrant(grant)
      if (!change.ok) return change
      interactions[index] = { ...interaction, state: decision }
      return ok(setState(grant, change.value, at))
    },
    async finishInteraction(id, at) {
      const index = interactions.findIndex((i) => i.id === id)
      const interaction = interactions[index]
      if (!interaction || interaction.state === 'PENDING' || interaction.finishedAt) return false
      interactions[index] = { ...interaction, finishedAt: at }
      return true
    },
    async revokeToken(managementId, at) {
      const token = byManagementId(managementId)
      if (!token || token.revokedAt) return false
      tokens.set(token.id, { ...token, revokedAt: at })
      return true
    },
    async revokeGrant(grantId, at) {
      const grant = grants.get(grantId)
      if (!grant) return err('unknown_grant')
      const change = revokeGrant(grant)
      if (!change.ok) return change
      const { access: _access, ...rest } = setState(grant, change.value, at)
      for (const token of tokens.values()) {
        if (token.grantId === grantId && !token.revokedAt) {
          tokens.set(token.id, { ...token, revokedAt: at })
        }
      }
      return ok(rest)
    },
    async deleteTokensDeadBefore(cutoff, limit) {
      let deleted = 0
      for (const token of [...tokens.values()]) {
        if (deleted >= limit) break
        const dead =
          tokenExpiresAtMs(token) < cutoff.getTime() ||
          (token.revokedAt !== undefined && token.revokedAt < cutoff)
        if (dead) {
          tokens.delete(token.id)
          deleted += 1
        }
      }
      return deleted
    },
  }
}
