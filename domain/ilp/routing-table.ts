// Longest-prefix routing over ILP addresses. A prefix matches an address only at a segment
// boundary: `g.alice` routes `g.alice` and `g.alice.x`, never `g.alicex` (Rafiki matches any
// string prefix and takes the first peer it finds; we take the longest).

export type RoutingTable<T> = {
  /** The target of the longest prefix of `address`, or undefined. */
  lookup(address: string): T | undefined
  readonly size: number
}

export function makeRoutingTable<T>(
  entries: Iterable<{ readonly prefix: string; readonly target: T }>,
): RoutingTable<T> {
  const byPrefix = new Map<string, T>()
  for (const { prefix, target } of entries) {
    // Two peers with one address: the first keeps it, as a table must be deterministic.
    if (!byPrefix.has(prefix)) byPrefix.set(prefix, target)
  }
  return {
    size: byPrefix.size,
    lookup(address) {
      // Walks from the whole address down, one segment at a time: at most one map lookup per
      // segment, whatever the number of peers.
      for (let candidate = address; candidate.length > 0;) {
        const target = byPrefix.get(candidate)
        if (target !== undefined) return target
        const dot = candidate.lastIndexOf('.')
        if (dot < 0) return undefined
        candidate = candidate.slice(0, dot)
      }
      return undefined
    },
  }
}
