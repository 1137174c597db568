import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryAssetRepository } from '../../adapters/memory/memory-asset-repository.ts'
import { makeMemoryLedger } from '../../adapters/memory/memory-ledger.ts'
import { makeMemoryPeerRepository } from '../../adapters/memory/memory-peer-repository.ts'
import { makeMemoryWebhookEventRepository } from '../../adapters/memory/memory-webhook-event-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { makeCreateAsset } from '../assets/create-asset.ts'
import { makeGetLiquidity } from '../liquidity/get-liquidity.ts'
import { makeSettleLiquidityWithdrawal } from '../liquidity/settle-liquidity-withdrawal.ts'
import { makeEmitWebhookEvent } from '../webhooks/emit-webhook-event.ts'
import { makeCheckPeerLiquidity } from './check-peer-liquidity.ts'
import { makeCreatePeerLiquidityWithdrawal } from './create-peer-liquidity-withdrawal.ts'
import { makeCreatePeer } from './create-peer.ts'
import { makeDepositPeerLiquidity } from './deposit-peer-liquidity.ts'

async function setup(liquidityThreshold: bigint | null = 100n) {
  const clock = makeFakeClock()
  const events = makeMemoryWebhookEventRepository()
  const deps = {
    peers: makeMemoryPeerRepository(),
    assets: makeMemoryAssetRepository(),
    ledger: makeMemoryLedger(clock),
    clock,
    ids: randomIds,
    signal: makeMemoryWorkSignal(),
    events,
  }
  const asset = await makeCreateAsset(deps)({ code: 'EUR', scale: 2 })
  if (!asset.ok) throw new Error('setup: asset')
  const peer = await makeCreatePeer(deps)({
    assetId: asset.value.id,
    staticIlpAddress: 'test.peer',
    outgoing: { authToken: 'out', endpoint: 'https://peer.example' },
    liquidityThreshold,
  })
  if (!peer.ok) throw new Error(peer.error)
  const getLiquidity = makeGetLiquidity(deps)
  const check = makeCheckPeerLiquidity({ ...deps, getLiquidity, emit: makeEmitWebhookEvent(deps) })
  const lowEvents = async () => {
    const page = await events.list(
      { limit: 100, cursor: undefined, direction: 'forward', sortOrder: 'ASC' },
      { types: ['peer.liquidity_low'] },
    )
    return page.ok ? page.value.items.map((event) => event.data) : []
  }
  return {
    clock,
    asset: asset.value,
    peer: peer.value,
    liquidity: () => getLiquidity(peer.value.id),
    lowEvents,
    deposit: makeDepositPeerLiquidity(deps),
    withdraw: makeCreatePeerLiquidityWithdrawal({ ...deps, afterDebit: check }),
    post: makeSettleLiquidityWithdrawal('post', deps),
    void: makeSettleLiquidityWithdrawal('void', deps),
  }
}

describe('peer liquidity', () => {
  it('deposits once per transfer id and withdraws at once or pending', async () => {
    const t = await setup(null)
    const depositId = randomIds.uuid()
    const deposit = { peerId: t.peer.id, id: depositId, amount: 1000n }
    expect(await t.deposit(deposit)).toEqual({ ok: true, value: undefined })
    expect(await t.deposit(deposit)).toEqual({ ok: true, value: undefined })
    expect(await t.deposit({ ...deposit, amount: 5n })).toEqual({
      ok: false,
      error: 'transfer_exists',
    })
    expect(await t.liquidity()).toBe(1000n)
    const now = { peerId: t.peer.id, id: randomIds.uuid(), amount: 100n, timeoutSeconds: 0 }
    expect(await t.withdraw(now)).toEqual({ ok: true, value: undefined })
    expect(await t.liquidity()).toBe(900n)
    const pending = { ...now, id: randomIds.uuid(), amount: 300n, timeoutSeconds: 60 }
    expect(await t.withdraw(pending)).toEqual({ ok: true, value: undefined })
    expect(await t.liquidity()).toBe(600n)
    expect(await t.void(pending.id)).toEqual({ ok: true, value: undefined })
    expect(await t.liquidity()).toBe(900n)
    expect(await t.lowEvents()).toEqual([])
  })

  it('refuses unknown peers, overdrafts, bad amounts and timeouts', async () => {
    const t = await setup()
    const withdrawal = { peerId: t.peer.id, id: randomIds.uuid(), amount: 1n, timeoutSeconds: 0 }
    expect(await t.withdraw(withdrawal)).toEqual({ ok: false, error: 'insufficient_balance' })
    expect(await t.withdraw({ ...withdrawal, peerId: randomIds.uuid() })).toEqual({
      ok: false,
      error: 'unknown_peer',
    })
    expect(await t.withdraw({ ...withdrawal, timeoutSeconds: -1 })).toEqual({
      ok: false,
      error: 'invalid_timeout',
    })
    expect(await t.deposit({ peerId: 'nope', id: randomIds.uuid(), amount: 1n })).toEqual({
      ok: false,
      error: 'unknown_peer',
    })
    expect(await t.deposit({ peerId: t.peer.id, id: randomIds.uuid(), amount: 0n })).toEqual({
      ok: false,
      error: 'invalid_amount',
    })
    expect(await t.deposit({ peerId: t.peer.id, id: 'x', amount: 1n })).toEqual({
      ok: false,
      error: 'invalid_id',
    })
    expect(await t.lowEvents()).toEqual([])
  })

  it('sends peer.liquidity_low when a withdrawal leaves it at or below the threshold', async () => {
    const t = await setup(100n)
    await t.deposit({ peerId: t.peer.id, id: randomIds.uuid(), amount: 250n })
    const withdraw = (amount: bigint) => {
      // Events of one instant would list in id order.
      t.clock.advance(1)
      return t.withdraw({ peerId: t.peer.id, id: randomIds.uuid(), amount, timeoutSeconds: 0 })
    }
    await withdraw(100n)
    expect(await t.lowEvents()).toEqual([])
    await withdraw(50n)
    expect(await t.lowEvents()).toEqual([
      {
        id: t.peer.id,
        asset: { id: t.asset.id, code: 'EUR', scale: 2 },
        liquidityThreshold: '100',
        balance: '100',
      },
    ])
    await withdraw(40n)
    expect((await t.lowEvents()).map((data) => data['balance'])).toEqual(['100', '60'])
  })
})
