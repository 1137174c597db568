import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccessToken } from '../../domain/auth/access-token.ts'
import type { Grant } from '../../domain/auth/grant.ts'
import type { Interaction } from '../../domain/auth/interaction.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { uint64Max } from '../../domain/shared/uint64.ts'
import type {
  AuthGrantRepository,
  GrantFilter,
} from '../../application/ports/auth-grant-repository.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'

export type AuthGrantRepositoryFixture = {
  readonly repository: AuthGrantRepository
  close(): Promise<void>
}

const base = Date.UTC(2025, 0, 1)
const alice = 'https://wallet.example/alice'
const secret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString('hex')

const newGrant = (extra: Partial<Grant> = {}): Grant => ({
  id: randomIds.uuid(),
  state: 'APPROVED',
  client: { walletAddress: alice },
  continueId: randomIds.uuid(),
  continueToken: secret(),
  waitSeconds: 5,
  lastContinuedAt: new Date(base),
  createdAt: new Date(base),
  updatedAt: new Date(base),
  ...extra,
})

const newToken = (grantId: string, extra: Partial<AccessToken> = {}): AccessToken => ({
  id: randomIds.uuid(),
  grantId,
  value: secret(),
  managementId: randomIds.uuid(),
  expiresInSeconds: 600,
  createdAt: new Date(base),
  ...extra,
})

const replacementOf = (token: AccessToken) => {
  const { grantId: _grantId, revokedAt: _revokedAt, ...rest } = newToken(token.grantId)
  return rest
}

const incoming: AccessItem = { type: 'incoming-payment', actions: ['create', 'read-all'] }
const outgoing: AccessItem = {
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  limits: {
    receiver: `${alice}/incoming-payments/1`,
    debitAmount: { value: uint64Max, assetCode: 'USD', assetScale: 2 },
    interval: 'R/2025-01-01T00:00:00Z/P1M',
  },
}

/** Every AuthGrantRepository adapter must behave the same; this suite is the definition. */
export function runAuthGrantRepositoryContract(
  name: string,
  make: () => Promise<AuthGrantRepositoryFixture>,
): void {
  describe(`AuthGrantRepository contract: ${name}`, () => {
    let fixture: AuthGrantRepositoryFixture
    let repo: AuthGrantRepository
    const issued = async (access: AccessItem[] = [incoming]) => {
      const grant = newGrant()
      const token = newToken(grant.id)
      await repo.create({ grant, access, token })
      return { grant, token }
    }

    beforeAll(async () => {
      fixture = await make()
      repo = fixture.repository
    })
    afterAll(async () => {
      await fixture?.close()
    })

    it('creates a non-interactive grant with its access and token, and finds them', async () => {
      const grant = newGrant()
      const token = newToken(grant.id)
      const created = await repo.create({ grant, access: [incoming, outgoing], token })
      expect(created).toEqual({ ...grant, access: [incoming, outgoing] })
      expect(await repo.findById(grant.id)).toEqual(created)
      expect(await repo.findTokenByValue(token.value)).toEqual({ token, grant: created })
      expect(await repo.findTokenByManagementId(token.managementId)).toEqual({
        token,
        grant: created,
      })
      expect(await repo.findByContinueId(grant.continueId)).toEqual({ grant: created })
      expect(await repo.findTokenByValue(secret())).toBeUndefined()
      expect(await repo.findById(randomIds.uuid())).toBeUndefined()
    })

    it('stores an interactive grant with its finish, interaction, and a directed-identity client', async () => {
      const grant = newGrant({
        state: 'PENDING',
        client: {
          jwk: { kid: 'k1', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: 'abc' },
        },
        interact: {
          start: ['redirect'],
          finish: { method: 'redirect', uri: 'https://client.example/finish', nonce: 'N1' },
        },
      })
      const interaction: Interaction = {
        id: randomIds.uuid(),
        grantId: grant.id,
        nonce: secret(),
        ref: secret(),
        state: 'PENDING',
        expiresInSeconds: 600,
        createdAt: new Date(base),
      }
      await repo.create({ grant, access: [outgoing], interaction })
      expect(await repo.findByContinueId(grant.continueId)).toEqual({
        grant: { ...grant, access: [outgoing] },
        interaction,
      })
      expect(await repo.findByContinueId(randomIds.uuid())).toBeUndefined()
    })

    it('writes nothing of a grant whose token clashes with an existing one', async () => {
      const { token } = await issued()
      const grant = newGrant()
      const clash = newToken(grant.id, { value: token.value })
      await expect(repo.create({ grant, access: [incoming], token: clash })).rejects.toThrow()
      expect(await repo.findById(grant.id)).toBeUndefined()
      expect(await repo.findByContinueId(grant.continueId)).toBeUndefined()
    })

    it('rotates a token: a new value, the old one revoked', async () => {
      const { token } = await issued()
      const replacement = replacementOf(token)
      const at = new Date(base + 1000)
      const rotated = await repo.rotateToken(token.managementId, replacement, at)
      expect(rotated).toEqual({ ok: true, value: { ...replacement, grantId: token.grantId } })
      expect((await repo.findTokenByValue(token.value))?.token.revokedAt).toEqual(at)
      expect((await repo.findTokenByValue(replacement.value))?.token.revokedAt).toBeUndefined()
      expect(await repo.rotateToken(token.managementId, replacementOf(token), at)).toEqual({
        ok: false,
        error: 'token_revoked',
      })
      expect(await repo.rotateToken(randomIds.uuid(), replacementOf(token), at)).toEqual({
        ok: false,
        error: 'unknown_token',
      })
    })

    it('lets exactly one of concurrent rotations of one token succeed', async () => {
      const { token } = await issued()
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          repo.rotateToken(token.managementId, replacementOf(token), new Date(base + 1)),
        ),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(
        Array(4).fill('token_revoked'),
      )
    })

    it('revokes a token once', async () => {
      const { token } = await issued()
      const at = new Date(base + 2000)
      expect(await repo.revokeToken(token.managementId, at)).toBe(true)
      expect(await repo.revokeToken(token.managementId, at)).toBe(false)
      expect(await repo.revokeToken(randomIds.uuid(), at)).toBe(false)
      expect((await repo.findTokenByValue(token.value))?.token.revokedAt).toEqual(at)
    })

    it('revokes a grant and all its tokens; a revoked grant cannot rotate', async () => {
      const { grant, token } = await issued()
      const other = await issued()
      const at = new Date(base + 3000)
      const revoked = await repo.revokeGrant(grant.id, at)
      expect(revoked).toEqual({
        ok: true,
        value: { ...grant, state: 'FINALIZED', finalizationReason: 'REVOKED', updatedAt: at },
      })
      const found = await repo.findTokenByValue(token.value)
      expect(found?.token.revokedAt).toEqual(at)
      expect(found?.grant).toMatchObject({ state: 'FINALIZED', finalizationReason: 'REVOKED' })
      expect((await repo.findTokenByValue(other.token.value))?.token.revokedAt).toBeUndefined()
      expect(await repo.revokeGrant(grant.id, at)).toEqual({
        ok: false,
        error: 'invalid_transition',
      })
      expect(await repo.revokeGrant(randomIds.uuid(), at)).toEqual({
        ok: false,
        error: 'unknown_grant',
      })
      const other2 = await issued()
      await repo.revokeGrant(other2.grant.id, at)
      expect(await repo.rotateToken(other2.token.managementId, replacementOf(token), at)).toEqual({
        ok: false,
        error: 'grant_not_live',
      })
    })

    const interactive = async () => {
      const grant = newGrant({ state: 'PENDING', interact: { start: ['redirect'] } })
      const interaction: Interaction = {
        id: randomIds.uuid(),
        grantId: grant.id,
        nonce: secret(),
        ref: secret(),
        state: 'PENDING',
        expiresInSeconds: 600,
        createdAt: new Date(base),
      }
      await repo.create({ grant, access: [outgoing], interaction })
      return { grant, interaction }
    }

    it('finds an interaction by id and nonce only', async () => {
      const { grant, interaction } = await interactive()
      expect(await repo.findInteraction(interaction.id, interaction.nonce)).toEqual({
        interaction,
        grant: { ...grant, access: [outgoing] },
      })
      expect(await repo.findInteraction(interaction.id, secret())).toBeUndefined()
    })

    it('decides once: the grant and the interaction change together', async () => {
      const { interaction } = await interactive()
      const at = new Date(base + 10)
      const decisions = await Promise.all([
        repo.decideInteraction(interaction.id, 'APPROVED', at),
        repo.decideInteraction(interaction.id, 'DENIED', at),
      ])
      expect(decisions.filter((d) => d.ok)).toHaveLength(1)
      expect(decisions.find((d) => !d.ok)).toEqual({ ok: false, error: 'already_decided' })
      const approved = decisions[0]?.ok === true
      const found = await repo.findInteraction(interaction.id, interaction.nonce)
      expect(found?.interaction.state).toBe(approved ? 'APPROVED' : 'DENIED')
      expect(found?.grant.state).toBe(approved ? 'APPROVED' : 'FINALIZED')
    })

    it('issues exactly one token of concurrent continuations of an approved grant', async () => {
      const { grant, interaction } = await interactive()
      const at = new Date(base + 10)
      expect((await repo.decideInteraction(interaction.id, 'APPROVED', at)).ok).toBe(true)
      const tokens = [newToken(grant.id), newToken(grant.id)]
      const issued = await Promise.all(tokens.map((t) => repo.issueToken(t, at)))
      expect(issued.filter((r) => r.ok)).toHaveLength(1)
      expect(issued.find((r) => !r.ok)).toEqual({ ok: false, error: 'invalid_transition' })
      expect(await repo.findById(grant.id)).toMatchObject({
        state: 'FINALIZED',
        finalizationReason: 'ISSUED',
      })
      const winner = issued[0]?.ok ? tokens[0] : tokens[1]
      const loser = issued[0]?.ok ? tokens[1] : tokens[0]
      expect(await repo.findTokenByValue(winner?.value ?? '')).toBeDefined()
      expect(await repo.findTokenByValue(loser?.value ?? '')).toBeUndefined()
    })

    it('rejects: the grant is finalized REJECTED and issues nothing', async () => {
      const { grant, interaction } = await interactive()
      const rejected = await repo.decideInteraction(interaction.id, 'DENIED', new Date(base))
      expect(rejected.ok && rejected.value).toMatchObject({
        id: grant.id,
        state: 'FINALIZED',
        finalizationReason: 'REJECTED',
        access: [outgoing],
      })
      expect(await repo.issueToken(newToken(grant.id), new Date(base))).toEqual({
        ok: false,
        error: 'invalid_transition',
      })
      expect(await repo.decideInteraction(randomIds.uuid(), 'DENIED', new Date(base))).toEqual({
        ok: false,
        error: 'unknown_interaction',
      })
    })

    it('serves a finish once, and only after the decision', async () => {
      const { interaction } = await interactive()
      expect(await repo.finishInteraction(interaction.id, new Date(base))).toBe(false)
      await repo.decideInteraction(interaction.id, 'APPROVED', new Date(base))
      const finishes = await Promise.all([
        repo.finishInteraction(interaction.id, new Date(base + 1)),
        repo.finishInteraction(interaction.id, new Date(base + 1)),
      ])
      expect(finishes.filter(Boolean)).toHaveLength(1)
      const found = await repo.findInteraction(interaction.id, interaction.nonce)
      expect(found?.interaction.finishedAt).toEqual(new Date(base + 1))
    })

    it('records a continuation only over the time it saw', async () => {
      const { grant } = await interactive()
      const later = new Date(base + 6000)
      const polls = await Promise.all([
        repo.recordContinuation(grant.id, grant.lastContinuedAt, later),
        repo.recordContinuation(grant.id, grant.lastContinuedAt, later),
      ])
      expect(polls.filter(Boolean)).toHaveLength(1)
      expect((await repo.findById(grant.id))?.lastContinuedAt).toEqual(later)
    })

    it('lists grants by identifier, state and reason, paged in creation order', async () => {
      // A wallet address of its own keeps the other tests' grants out.
      const bob = `https://wallet.example/${randomIds.uuid()}`
      const item: AccessItem = { ...outgoing, identifier: bob }
      const made: Grant[] = []
      for (let i = 0; i < 5; i += 1) {
        const grant = newGrant({
          state: i < 2 ? 'PENDING' : 'APPROVED',
          createdAt: new Date(base + i * 1000),
        })
        await repo.create({ grant, access: [incoming, item] })
        made.push(grant)
      }
      await repo.revokeGrant(made[4]?.id ?? '', new Date(base))
      const ids = (grants: readonly Grant[]) => grants.map((g) => g.id)
      const all = async (filter: GrantFilter) => {
        const page = await repo.list(
          { ...filter, identifier: { in: [bob] } },
          { limit: 100, cursor: undefined, direction: 'forward', sortOrder: 'ASC' },
        )
        return page.ok ? ids(page.value.items) : []
      }
      expect(await all({})).toEqual(ids(made))
      expect(await all({ state: { in: ['PENDING'] } })).toEqual(ids(made.slice(0, 2)))
      expect(await all({ state: { notIn: ['PENDING'] } })).toEqual(ids(made.slice(2)))
      expect(await all({ finalizationReason: { in: ['REVOKED'] } })).toEqual(ids(made.slice(4)))
      expect(await all({ finalizationReason: { notIn: ['REVOKED'] } })).toEqual(
        ids(made.slice(0, 4)),
      )
      const first = await repo.list(
        { identifier: { in: [bob] } },
        { limit: 2, cursor: undefined, direction: 'forward', sortOrder: 'DESC' },
      )
      expect(first.ok && ids(first.value.items)).toEqual(ids([made[4], made[3]] as Grant[]))
      expect(first.ok && first.value.items[1]?.access).toEqual([incoming, item])
      expect(first.ok && first.value.hasNextPage).toBe(true)
      const next = await repo.list(
        { identifier: { in: [bob] } },
        { limit: 2, cursor: made[3]?.id, direction: 'forward', sortOrder: 'DESC' },
      )
      expect(next.ok && ids(next.value.items)).toEqual(ids([made[2], made[1]] as Grant[]))
      expect(
        await repo.list(
          {},
          { limit: 2, cursor: randomIds.uuid(), direction: 'forward', sortOrder: 'ASC' },
        ),
      ).toEqual({ ok: false, error: 'unknown_cursor' })
    })

    it('deletes tokens expired or revoked before the cutoff, up to the limit', async () => {
      const grant = newGrant()
      // Dates of their own, far from the other tests' tokens.
      const t0 = Date.UTC(2000, 0, 1)
      const expiredLongAgo = newToken(grant.id, { createdAt: new Date(t0), expiresInSeconds: 60 })
      await repo.create({ grant, access: [incoming], token: expiredLongAgo })
      const revokedLongAgo = newToken(grant.id, { createdAt: new Date(t0) })
      const fresh = newToken(grant.id, { createdAt: new Date(t0 + 86_400_000 * 40) })
      for (const token of [revokedLongAgo, fresh]) {
        const other = newGrant()
        await repo.create({ grant: other, access: [incoming], token })
      }
      await repo.revokeToken(revokedLongAgo.managementId, new Date(t0 + 1000))
      const cutoff = new Date(t0 + 86_400_000 * 30)
      expect(await repo.deleteTokensDeadBefore(cutoff, 1)).toBe(1)
      expect(await repo.deleteTokensDeadBefore(cutoff, 10)).toBe(1)
      expect(await repo.deleteTokensDeadBefore(cutoff, 10)).toBe(0)
      expect(await repo.findTokenByValue(expiredLongAgo.value)).toBeUndefined()
      expect(await repo.findTokenByValue(revokedLongAgo.value)).toBeUndefined()
      expect(await repo.findTokenByValue(fresh.value)).toBeDefined()
    })
  })
}
