// Wake-ups across replicas: a writer's transaction runs `pg_notify(workChannel(topic), ...)`,
// Postgres delivers it at commit to every session that LISTENs, and each replica's listener wakes
// its own workers. postgres.js LISTENs on a connection of its own, outside the pool.
import type { ListenMeta, Sql } from 'postgres'
import type { Logger } from '../../application/ports/logger.ts'
import type { WorkSignal, WorkTopic } from '../../application/ports/work-signal.ts'
import { assert } from '../../domain/shared/assert.ts'
import { makeMemoryWorkSignal } from '../memory/memory-work-signal.ts'

export type PostgresWorkSignal = WorkSignal & {
  /** Resolves once LISTEN runs for every topic subscribed so far (at once on PGlite). */
  ready(): Promise<void>
  /** Stops listening (call it before closing the database); local wake-ups keep working. */
  close(): Promise<void>
}

export type PostgresWorkSignalDeps = {
  readonly database: { readonly sql: Sql; readonly kind: 'postgres' | 'pglite' }
  readonly logger: Logger
}

const channelPrefix = 'ilp_node_work_'
// Postgres truncates identifiers at 63 bytes; a longer channel would collide silently.
const topicPattern = /^[a-z][a-z0-9_]{0,47}$/

/** The NOTIFY channel for a topic; writers of work use it in their transaction. */
export function workChannel(topic: WorkTopic): string {
  assert(topicPattern.test(topic), `work topic ${JSON.stringify(topic)}: [a-z][a-z0-9_]{0,47}`)
  return `${channelPrefix}${topic}`
}

/**
 * On real Postgres: LISTEN per subscribed topic, plus in-process notify() for this process's own
 * emits. On PGlite: in-process only; PGlite has one connection (none is left to LISTEN on) and
 * one process (its data directory is locked), so every writer is here and calls notify().
 */
export function makePostgresWorkSignal(deps: PostgresWorkSignalDeps): PostgresWorkSignal {
  const { database, logger } = deps
  const local = makeMemoryWorkSignal()
  const listening = new Map<WorkTopic, Promise<ListenMeta | undefined>>()
  if (database.kind === 'pglite') {
    logger.info({}, 'work wake-ups stay in this process (embedded database)')
  }

  async function listen(topic: WorkTopic): Promise<ListenMeta | undefined> {
    const wake = () => local.notify(topic)
    try {
      // onlisten runs again after postgres.js reconnects: what was sent meanwhile is lost, so
      // the workers are woken to look for themselves.
      return await database.sql.listen(workChannel(topic), wake, wake)
    } catch (error) {
      listening.delete(topic)
      const reason = error instanceof Error ? error.message : String(error)
      logger.warn({ topic, error: reason }, 'cannot LISTEN for work; its workers poll instead')
      return undefined
    }
  }

  return {
    notify: (topic) => local.notify(topic),
    subscribe(topic, listener) {
      workChannel(topic)
      const unsubscribe = local.subscribe(topic, listener)
      if (database.kind === 'postgres' && !listening.has(topic)) {
        listening.set(topic, listen(topic))
      }
      return unsubscribe
    },
    async ready() {
      await Promise.all(listening.values())
    },
    async close() {
      const metas = await Promise.all(listening.values())
      listening.clear()
      await Promise.all(metas.map((meta) => meta?.unlisten().catch(() => {})))
    },
  }
}
