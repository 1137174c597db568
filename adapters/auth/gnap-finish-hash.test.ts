import { describe, expect, it } from 'vitest'
import { gnapFinishHash } from './gnap-finish-hash.ts'

describe('gnapFinishHash', () => {
  it('is base64 of SHA-256 over the four lines (vector from openssl dgst -sha256 | base64)', () => {
    expect(gnapFinishHash('N1\nN2\nREF\nhttps://auth.example/')).toBe(
      'k/ut5F8PK2VsleKmIsYD1dDIsAnz5vjmVF5EiC8jtIM=',
    )
  })
})
