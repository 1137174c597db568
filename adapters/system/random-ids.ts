import type { IdGenerator } from '../../application/ports/ids.ts'

// The global Web Crypto object exists on Node 20+, Bun and Deno, so no node:crypto import.
export const randomIds: IdGenerator = {
  uuid: () => crypto.randomUUID(),
}
