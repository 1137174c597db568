import { describe, expect, it } from 'vitest'
import type { AccessToken } from '../../domain/auth/access-token.ts'
import type { Grant } from '../../domain/auth/grant.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../adapters/memory/memory-auth-grant-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { Logger } from '../ports/logger.ts'
import { makeWorkerLoop } from '../workers/worker-loop.ts'
import { alice, fakeIds, fakeSecrets } from './auth-test-fixtures.ts'
import { deadTokenCleanupTopic, makeDeleteDeadTokens } from './delete-dead-tokens.ts'

const dayMs = 86_400_000
const access: AccessItem[] = [{ type: 'incoming-payment', actions: ['read'], identifier: alice }]
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

/** A token issued `ageDays` ago that lives `lifetimeDays`, revoked `revokedDaysAgo` ago if given. */
async function storeToken(
  grants: AuthGrantRepository,
  nowMs: number,
  ageDays: number,
  lifetimeDays: number,
  revokedDaysAgo?: number,
): Promise<AccessToken> {
  const issuedAt = new Date(nowMs - ageDays * dayMs)
  const grant: Grant = {
    id: fakeIds.uuid(),
    state: 'FINALIZED',
    finalizationReason: 'ISSUED',
    client: { walletAddress: alice },
    continueId: fakeIds.uuid(),
    continueToken: fakeSecrets.secret(),
    waitSeconds: 5,
    lastContinuedAt: issuedAt,
    createdAt: issuedAt,
    updatedAt: issuedAt,
  }
  const token: AccessToken = {
    id: fakeIds.uuid(),
    grantId: grant.id,
    value: fakeSecrets.secret(),
    managementId: fakeIds.uuid(),
    expiresInSeconds: lifetimeDays * 86_400,
    createdAt: issuedAt,
  }
  await grants.create({ grant, access, token })
  if (revokedDaysAgo !== undefined) {
    await grants.revokeToken(token.managementId, new Date(nowMs - revokedDaysAgo * dayMs))
  }
  return token
}

const exists = async (grants: AuthGrantRepository, token: AccessToken) =>
  (await grants.findTokenByValue(token.value)) !== undefined

describe('deleteDeadTokens', () => {
  it('deletes tokens expired or revoked more than the deletion days ago, and keeps the rest', async () => {
    const clock = makeFakeClock()
    const grants = makeMemoryAuthGrantRepository()
    const now = clock.now()
    const expiredLongAgo = await storeToken(grants, now, 40, 1)
    const expiredRecently = await storeToken(grants, now, 20, 1)
    const revokedLongAgo = await storeToken(grants, now, 40, 365, 31)
    const revokedRecently = await storeToken(grants, now, 40, 365, 29)
    const live = await storeToken(grants, now, 40, 365)
    const step = makeDeleteDeadTokens({ grants, clock, deletionDays: 30, deletionBatchMax: 100 })

    expect(await step()).toBe(false)
    expect(await exists(grants, expiredLongAgo)).toBe(false)
    expect(await exists(grants, revokedLongAgo)).toBe(false)
    expect(await exists(grants, expiredRecently)).toBe(true)
    expect(await exists(grants, revokedRecently)).toBe(true)
    expect(await exists(grants, live)).toBe(true)

    // Two days on, the recently revoked token has been dead for 31 days.
    clock.advance(2 * dayMs)
    await step()
    expect(await exists(grants, revokedRecently)).toBe(false)
    expect(await exists(grants, live)).toBe(true)
  })

  it('deletes in batches and says whether a full batch suggests more', async () => {
    const clock = makeFakeClock()
    const grants = makeMemoryAuthGrantRepository()
    const dead = []
    for (let i = 0; i < 5; i += 1) dead.push(await storeToken(grants, clock.now(), 40, 1))
    const step = makeDeleteDeadTokens({ grants, clock, deletionDays: 30, deletionBatchMax: 2 })
    expect([await step(), await step(), await step()]).toEqual([true, true, false])
    for (const token of dead) expect(await exists(grants, token)).toBe(false)
  })

  it('runs under a worker loop until the backlog is gone, then sleeps', async () => {
    const clock = makeFakeClock()
    const grants = makeMemoryAuthGrantRepository()
    const dead = []
    for (let i = 0; i < 7; i += 1) dead.push(await storeToken(grants, clock.now(), 40, 1))
    const step = makeDeleteDeadTokens({ grants, clock, deletionDays: 30, deletionBatchMax: 3 })
    let steps = 0
    const loop = makeWorkerLoop(
      { processNext: () => ((steps += 1), step()), signal: makeMemoryWorkSignal(), logger: quiet },
      { name: 'auth_token_cleanup', topic: deadTokenCleanupTopic, concurrency: 1, idleMs: 60_000 },
    )
    loop.start()
    for (let i = 0; i < 50 && steps < 3; i += 1) await new Promise((r) => setTimeout(r, 5))
    await loop.stop()
    expect(steps).toBe(3)
    for (const token of dead) expect(await exists(grants, token)).toBe(false)
  })

  it('refuses a batch size below one and negative days (programmer errors)', () => {
    const grants = makeMemoryAuthGrantRepository()
    const clock = makeFakeClock()
    expect(() =>
      makeDeleteDeadTokens({ grants, clock, deletionDays: 30, deletionBatchMax: 0 }),
    ).toThrow()
    expect(() =>
      makeDeleteDeadTokens({ grants, clock, deletionDays: -1, deletionBatchMax: 10 }),
    ).toThrow()
  })
})
