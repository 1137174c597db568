// Boot-to-ready time and idle memory on each runtime, embedded (PGlite) and on real services.
// Real PostgreSQL/Redis come from BENCH_DATABASE_URL / BENCH_REDIS_URL (or the TEST_ ones).

import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withFreshDatabaseUrl } from './fresh-database.ts'
import {
  buildNodeBundle,
  ephemeralPorts,
  spawnNode,
  type Runtime,
} from '../test/support/spawn-node.ts'

const runs = 5
const idleSettleMs = 2_000
const runtimes: readonly Runtime[] = ['node', 'bun', 'deno']

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

async function measure(runtime: Runtime, env: Record<string, string>) {
  const boots: number[] = []
  let rss = Number.NaN
  for (let i = 0; i < runs; i += 1) {
    const node = await spawnNode(runtime, { ...ephemeralPorts, LOG_LEVEL: 'info', ...env })
    boots.push(node.bootMs)
    if (i === 0) {
      await new Promise((resolve) => setTimeout(resolve, idleSettleMs))
      rss = (await rssKb(node.child.pid ?? 0)) / 1024
    }
    const code = await node.stop('SIGTERM')
    if (code !== 0) throw new Error(`${runtime} exited ${code}:\n${node.output()}`)
  }
  return { bootMs: median(boots), rssMb: rss }
}

export async function benchBoot(): Promise<void> {
  await buildNodeBundle()
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL']
  const redisUrl = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL']
  const dataDir = await mkdtemp(join(tmpdir(), 'ilp-node-bench-'))
  const embedded: [string, Record<string, string>][] = [
    ['embedded (PGlite data dir, in-process cache)', { DATABASE_URL: `pglite://${dataDir}` }],
  ]
  if (!databaseUrl || !redisUrl) {
    console.log('set BENCH_DATABASE_URL and BENCH_REDIS_URL to measure on real PostgreSQL + Redis')
  }
  console.log(`boot-to-ready: process spawn until the 'ready' log line, median of ${runs}`)
  console.log(`idle RSS: ${idleSettleMs} ms after ready, first run`)
  try {
    await runSetups(embedded)
    if (databaseUrl && redisUrl) {
      await withFreshDatabaseUrl(databaseUrl, 'bench_boot', (url) =>
        runSetups([
          [
            'PostgreSQL + Redis',
            { DATABASE_URL: url, REDIS_URL: redisUrl, USE_TIGERBEETLE: 'false' },
          ],
        ]),
      )
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

async function runSetups(setups: [string, Record<string, string>][]): Promise<void> {
  for (const [name, env] of setups) {
    // One untimed boot creates the data directory and applies migrations.
    await (await spawnNode('node', { ...ephemeralPorts, ...env })).stop()
    for (const runtime of runtimes) {
      const { bootMs, rssMb } = await measure(runtime, env)
      console.log(
        `${name.padEnd(46)} ${runtime.padEnd(5)} boot ${bootMs.toFixed(0).padStart(5)} ms   idle RSS ${rssMb.toFixed(0).padStart(4)} MB`,
      )
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBoot()
