/** Names a kind of queued work, e.g. 'webhook'; lower-case letters, digits and '_'. */
export type WorkTopic = string

export type WorkListener = () => void

/**
 * Wakes idle workers when work is enqueued, so they need not poll. A wake-up is a hint, not a
 * message: it may be lost or repeated, and workers still poll now and then.
 */
export interface WorkSignal {
  /** Wakes this process's subscribers of `topic`; call it after the work is committed. */
  notify(topic: WorkTopic): void
  /** Listeners run synchronously inside notify() and must not throw. */
  subscribe(topic: WorkTopic, listener: WorkListener): () => void
}
