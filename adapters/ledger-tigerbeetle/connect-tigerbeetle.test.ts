import { describe, expect, it } from 'vitest'
import { makeFakeTigerbeetle } from './fake-client.test-support.ts'
import { connectTigerbeetle } from './tigerbeetle-ledger.ts'

const options = {
  clusterId: 0n,
  replicaAddresses: ['10.0.0.1:3004', '10.0.0.2:3004'],
  connectTimeoutMs: 50,
}

describe('connectTigerbeetle', () => {
  it('hands back the client once the cluster answers', async () => {
    const fake = makeFakeTigerbeetle()
    const seen: unknown[] = []
    const client = await connectTigerbeetle(options, (args) => {
      seen.push(args)
      return fake
    })
    expect(client).toBe(fake)
    expect(seen).toEqual([{ cluster_id: 0n, replica_addresses: options.replicaAddresses }])
  })

  it('gives up within the timeout, naming the variable and the way out, and keeps the client', async () => {
    const fake = makeFakeTigerbeetle()
    fake.hang()
    const started = performance.now()
    await expect(connectTigerbeetle(options, () => fake)).rejects.toThrow(
      'TigerBeetle did not answer at TIGERBEETLE_REPLICA_ADDRESSES=10.0.0.1:3004,10.0.0.2:3004 within 0.05 s; set USE_TIGERBEETLE=false to keep accounts in PostgreSQL',
    )
    expect(performance.now() - started).toBeLessThan(1_000)
    // A request is still in flight: destroying the client then crashes Deno.
    expect(fake.destroyed()).toBe(false)
  })

  it('reports addresses the client refuses', async () => {
    const refuse = () => {
      throw new Error('Invalid replica address.')
    }
    await expect(connectTigerbeetle(options, refuse)).rejects.toThrow(
      /TIGERBEETLE_REPLICA_ADDRESSES=10\.0\.0\.1:3004,10\.0\.0\.2:3004: Invalid replica address\.; set USE_TIGERBEETLE=false/,
    )
  })

  it('reports a failed probe and lets the idle client go', async () => {
    const fake = makeFakeTigerbeetle()
    const evicted = {
      ...fake,
      lookupAccounts: () => Promise.reject(new Error('Client was evicted.')),
    }
    await expect(connectTigerbeetle(options, () => evicted)).rejects.toThrow(
      /TIGERBEETLE_REPLICA_ADDRESSES=.*failed: Client was evicted\./,
    )
    expect(fake.destroyed()).toBe(true)
  })
})
