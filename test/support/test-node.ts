import { bootNode, type Node } from '../../runtimes/boot.ts'
import { serveOnNode } from '../../runtimes/node-serve.ts'
import { openTestPostgres } from './databases.ts'

export type TestNodeTarget = { readonly name: string; readonly env: Record<string, string> }

const testDatabaseUrl = process.env['TEST_DATABASE_URL'] || undefined
const testRedisUrl = process.env['TEST_REDIS_URL'] || undefined

/** Stands for a new database on TEST_DATABASE_URL's server, made by bootTestNode. */
export const freshPostgres = 'fresh-postgres'

/** Embedded always; real PostgreSQL + Redis when TEST_DATABASE_URL and TEST_REDIS_URL are set. */
export function testNodeTargets(suite: string): TestNodeTarget[] {
  const targets: TestNodeTarget[] = [
    { name: 'PGlite + in-process cache', env: { DATABASE_URL: 'pglite://memory' } },
  ]
  if (testDatabaseUrl && testRedisUrl) {
    targets.push({
      name: 'PostgreSQL + Redis',
      env: { DATABASE_URL: freshPostgres, REDIS_URL: testRedisUrl, USE_TIGERBEETLE: 'false' },
    })
  } else {
    console.info(
      `${suite}: set TEST_DATABASE_URL and TEST_REDIS_URL to also run on PostgreSQL + Redis`,
    )
  }
  return targets
}

/** Boots the composed node in this process on 127.0.0.1 and random ports. */
export async function bootTestNode(
  env: Record<string, string>,
): Promise<Node & { readonly adminUrl: string }> {
  // Each node on real Postgres gets its own database, dropped when the node stops.
  const database =
    env['DATABASE_URL'] === freshPostgres ? await openTestPostgres({ migrate: false }) : undefined
  if (database) env = { ...env, DATABASE_URL: database.url }
  const node = await bootNodeOrDropDatabase(database, () =>
    bootNode(
      {
        ADMIN_PORT: '0',
        OPEN_PAYMENTS_PORT: '0',
        CONNECTOR_PORT: '0',
        AUTH_PORT: '0',
        INTROSPECTION_PORT: '0',
        INTERACTION_PORT: '0',
        BIND_ADDRESS: '127.0.0.1',
        LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
        ...env,
      },
      serveOnNode,
    ),
  )
  return {
    ...node,
    adminUrl: `http://127.0.0.1:${node.ports.admin}`,
    async stop() {
      await node.stop()
      await database?.close()
    },
  }
}

/** A boot that fails (a port clash, say) must not leave its fresh database behind. */
async function bootNodeOrDropDatabase<T>(
  database: { close(): Promise<void> } | undefined,
  boot: () => Promise<T>,
): Promise<T> {
  try {
    return await boot()
  } catch (error) {
    await database?.close()
    throw error
  }
}
