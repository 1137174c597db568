import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { makeMemoryWebhookEventRepository } from '../../adapters/memory/memory-webhook-event-repository.ts'
import { makeMemoryWorkSignal } from '../../adapters/memory/memory-work-signal.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { makeEmitWebhookEvent } from '../webhooks/emit-webhook-event.ts'
import { makeAwaitWalletAddress } from './await-wallet-address.ts'

function setup() {
  const clock = makeFakeClock()
  const events = makeMemoryWebhookEventRepository()
  const sleeps: number[] = []
  const awaitWalletAddress = makeAwaitWalletAddress({
    emitWebhookEvent: makeEmitWebhookEvent({
      clock,
      ids: randomIds,
      events,
      signal: makeMemoryWorkSignal(),
    }),
    clock,
    // Sleeping moves the fake clock, so the deadline is reached without waiting.
    sleep: async (ms) => {
      sleeps.push(ms)
      clock.advance(ms)
    },
    pollingFrequencyMs: 100,
    lookupTimeoutMs: 250,
  })
  const notFoundEvents = async () => {
    const page = await events.list(
      { limit: 100, cursor: undefined, direction: 'forward', sortOrder: 'ASC' },
      {},
    )
    return page.ok ? page.value.items.map((event) => [event.type, event.data]) : []
  }
  return { awaitWalletAddress, sleeps, notFoundEvents }
}

const url = 'https://wallet.example/alice'

describe('awaitWalletAddress', () => {
  it('answers at once, with no event, when the wallet address exists', async () => {
    const { awaitWalletAddress, sleeps, notFoundEvents } = setup()
    expect(await awaitWalletAddress(url, async () => 'found')).toBe('found')
    expect(sleeps).toEqual([])
    expect(await notFoundEvents()).toEqual([])
  })

  it('emits wallet_address.not_found and finds one created while it polls', async () => {
    const { awaitWalletAddress, sleeps, notFoundEvents } = setup()
    let lookups = 0
    const found = await awaitWalletAddress(url, async () => {
      lookups += 1
      return lookups === 3 ? 'created just in time' : undefined
    })
    expect(found).toBe('created just in time')
    expect(sleeps).toEqual([100, 100])
    expect(await notFoundEvents()).toEqual([
      ['wallet_address.not_found', { walletAddressUrl: url }],
    ])
  })

  it('gives up after the lookup timeout, the last sleep cut to the deadline', async () => {
    const { awaitWalletAddress, sleeps, notFoundEvents } = setup()
    let lookups = 0
    const found = await awaitWalletAddress(url, async () => {
      lookups += 1
      return undefined
    })
    expect(found).toBeUndefined()
    expect(sleeps).toEqual([100, 100, 50])
    expect(lookups).toBe(4)
    expect(await notFoundEvents()).toHaveLength(1)
  })
})
