import { describe, expect, it } from 'vitest'
import { tokenEntropyBitsMin } from '../../domain/auth/access-token.ts'
import { randomAuthSecrets } from './random-auth-secrets.ts'

describe('randomAuthSecrets', () => {
  it('gives upper-case hex of at least 160 bits, different every time', () => {
    const secrets = Array.from({ length: 1000 }, () => randomAuthSecrets.secret())
    for (const secret of secrets) {
      expect(secret).toMatch(/^[0-9A-F]+$/)
      expect(secret.length * 4).toBeGreaterThanOrEqual(tokenEntropyBitsMin)
    }
    expect(new Set(secrets).size).toBe(secrets.length)
    // Every hex digit turns up in every position across many values: nothing is fixed.
    const first = new Set(secrets.map((s) => s[0]))
    const last = new Set(secrets.map((s) => s.at(-1)))
    expect(first.size).toBe(16)
    expect(last.size).toBe(16)
  })
})
