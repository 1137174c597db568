import type { WorkListener, WorkSignal, WorkTopic } from '../../application/ports/work-signal.ts'

/** Wake-ups within this process: enough when every writer lives here (PGlite, unit tests). */
export function makeMemoryWorkSignal(): WorkSignal {
  const listeners = new Map<WorkTopic, Set<WorkListener>>()
  return {
    notify(topic) {
      // A copy, so a listener that unsubscribes while being called does not skip another.
      for (const listener of [...(listeners.get(topic) ?? [])]) listener()
    },
    subscribe(topic, listener) {
      let set = listeners.get(topic)
      if (set === undefined) {
        set = new Set()
        listeners.set(topic, set)
      }
      // Wrapped, so subscribing one function twice gives two independent subscriptions.
      const entry: WorkListener = () => listener()
      set.add(entry)
      return () => {
        set.delete(entry)
        if (set.size === 0 && listeners.get(topic) === set) listeners.delete(topic)
      }
    },
  }
}
