import { describe, expect, it } from 'vitest'
import { ilpAddressLengthMax, isIlpAddress, validateIlpAddress } from './ilp-address.ts'

describe('ILP addresses', () => {
  it.each([
    'g.alice',
    'g.us-fed.ach.0.acmebank.swx0a0.acmecorp.sales.199.~ipr.cdfa5e16-e759-4ba3-88f6-8b9dc83c1868.2',
    'private.x',
    'example.a.b',
    'peer.config',
    'self.node',
    'test.rafiki',
    'test1.a',
    'test2.a',
    'test3.a',
    'local.x_y~z-0',
  ])('accepts %s', (address) => {
    expect(validateIlpAddress(address)).toEqual({ ok: true, value: address })
  })

  it.each([
    '',
    'g',
    'g.',
    'g..a',
    'g.a.',
    '.g.a',
    'G.alice',
    'test4.a',
    'xyz.a',
    'g.al ice',
    'g.alice/x',
    'g.ålice',
    'g.a\n',
  ])('refuses %j', (address) => {
    expect(validateIlpAddress(address)).toEqual({ ok: false, error: 'invalid_ilp_address' })
  })

  it(`allows ${ilpAddressLengthMax} characters, not one more`, () => {
    const longest = `g.${'a'.repeat(ilpAddressLengthMax - 2)}`
    expect(isIlpAddress(longest)).toBe(true)
    expect(isIlpAddress(`${longest}a`)).toBe(false)
  })
})
