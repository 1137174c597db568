// A node booted the way runtimes/boot.ts boots one, serving its admin API on a real socket, that
// also hands the test its object graph. Tests use the graph only to stand in for parts that do
// not exist yet (the connector moving money and crediting payments, the STREAM receiver
// receiving web monetization); everything under test is reached through the admin API.
import { loadInstanceKey } from '../../adapters/system/instance-key.ts'
import { makePinoLogger } from '../../adapters/logging/pino-logger.ts'
import { randomIds } from '../../adapters/system/random-ids.ts'
import { systemClock } from '../../adapters/system/system-clock.ts'
import { compose, tokens } from '../../runtimes/compose.ts'
import { loadConfig } from '../../runtimes/config.ts'
import {
  openLedger,
  openShared,
  openStorage,
  openWorkSignal,
} from '../../runtimes/infrastructure.ts'
import { serveOnNode } from '../../runtimes/node-serve.ts'
import type { Get } from '../../runtimes/tokens.ts'
import { openTestPostgres } from './databases.ts'
import { freshPostgres } from './test-node.ts'

export type ComposedTestNode = {
  readonly adminUrl: string
  readonly get: Get
  stop(): Promise<void>
}

/** Takes a testNodeTargets() environment, as bootTestNode does. */
export async function bootComposedTestNode(env: Record<string, string>): Promise<ComposedTestNode> {
  const closers: (() => Promise<void>)[] = []
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close()
  }
  try {
    if (env['DATABASE_URL'] === freshPostgres) {
      const database = await openTestPostgres({ migrate: false })
      if (!database) throw new Error('TEST_DATABASE_URL vanished')
      closers.push(() => database.close())
      env = { ...env, DATABASE_URL: database.url }
    }
    const loaded = loadConfig({ LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent', ...env })
    if (!loaded.ok) throw new Error(loaded.message)
    const { config } = loaded
    const logger = makePinoLogger(config.LOG_LEVEL)
    const database = await openStorage(config, logger)
    closers.push(() => database.close())
    const shared = await openShared(config, logger)
    closers.push(() => shared.close())
    const { ledger } = await openLedger(config, database, logger)
    closers.push(() => ledger.close())
    const workSignal = await openWorkSignal(database, logger)
    closers.push(() => workSignal.close())
    const instanceKey = await loadInstanceKey({ keyId: config.KEY_ID, privateKeyFile: undefined })
    const graph = compose({
      config,
      logger,
      clock: systemClock,
      ids: randomIds,
      cache: shared.cache,
      locks: shared.locks,
      sql: database.sql,
      ledger,
      workSignal,
      instanceKey,
    })
    const workers = graph.get(tokens.workers)
    for (const worker of workers) worker.start()
    closers.push(async () => {
      await Promise.all(workers.map((worker) => worker.stop()))
    })
    const admin = await serveOnNode(graph.get(tokens.adminApp), { port: 0, hostname: '127.0.0.1' })
    closers.push(() => admin.close())
    return { adminUrl: `http://127.0.0.1:${admin.port}`, get: graph.get, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
