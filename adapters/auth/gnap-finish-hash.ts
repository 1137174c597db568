// The `hash` of the GNAP finish redirect: base64 (with padding, as Rafiki sends it) of the
// SHA-256 of finishHashInput (domain/auth/interaction.ts). node:crypto's hash is synchronous and
// exists on all three runtimes.
import { createHash } from 'node:crypto'

export const gnapFinishHash = (input: string): string =>
  createHash('sha256').update(input).digest('base64')
