import { describe, it } from 'vitest'
import { makeFakeTigerbeetle } from '../../adapters/ledger-tigerbeetle/fake-client.test-support.ts'
import {
  connectTigerbeetle,
  makeTigerbeetleLedger,
} from '../../adapters/ledger-tigerbeetle/tigerbeetle-ledger.ts'
import { makeFakeClock } from '../../adapters/memory/fake-clock.ts'
import { runLedgerContract } from './ledger.contract.ts'

// An empty value counts as unset, as in `TIGERBEETLE_REPLICA_ADDRESSES= npm test`.
const replicaAddresses = process.env['TIGERBEETLE_REPLICA_ADDRESSES'] || undefined
const clusterId = BigInt(process.env['TIGERBEETLE_CLUSTER_ID'] || '0')
const connectTimeoutMs = 3_000
const skippedTitle =
  'TigerBeetle ledger contract: set TIGERBEETLE_REPLICA_ADDRESSES to a running cluster to run it'

// The adapter's own logic against an in-process stand-in for a cluster, so the suite runs
// everywhere; the stand-in follows TigerBeetle 0.17's semantics, not its code.
runLedgerContract('tigerbeetle adapter over a fake cluster', async () => {
  const clock = makeFakeClock(Date.now())
  const cluster = makeFakeTigerbeetle(clock.now())
  const ledger = makeTigerbeetleLedger(cluster, { clock })
  return {
    ledger,
    advance: async (ms) => {
      clock.advance(ms)
      cluster.advance(ms)
    },
    close: () => ledger.close(),
  }
})

// The contract takes ledger numbers of its own at random, so reruns against one cluster do not
// meet each other's accounts.
const cluster = await reachCluster()
if (cluster.ok) {
  runLedgerContract('tigerbeetle', async () => {
    const ledger = makeTigerbeetleLedger(cluster.client)
    return { ledger, close: () => ledger.close() }
  })
} else {
  console.info(`TigerBeetle ledger contract skipped: ${cluster.reason}`)
  describe.skip(skippedTitle, () => {
    it('runs the Ledger contract against a TigerBeetle cluster', () => {})
  })
}

async function reachCluster() {
  if (replicaAddresses === undefined) {
    return { ok: false, reason: 'TIGERBEETLE_REPLICA_ADDRESSES is unset' } as const
  }
  try {
    const client = await connectTigerbeetle({
      clusterId,
      replicaAddresses: replicaAddresses.split(','),
      connectTimeoutMs,
    })
    return { ok: true, client } as const
  } catch (error) {
    // An unanswered client keeps retrying; it ends with this test process.
    return { ok: false, reason: error instanceof Error ? error.message : String(error) } as const
  }
}
