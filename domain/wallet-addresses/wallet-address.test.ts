import { describe, expect, it } from 'vitest'
import {
  additionalPropertiesMax,
  cleanAdditionalProperties,
  deactivatedAtAfter,
  isWalletAddressStatus,
  validatePublicName,
  validateWalletAddressUrl,
  visibleAdditionalProperties,
  walletAddressUrlLengthMax,
} from './wallet-address.ts'

describe('validateWalletAddressUrl', () => {
  it.each([
    ['https://wallet.example/alice', 'https://wallet.example/alice'],
    ['HTTPS://Wallet.Example/Alice', 'https://wallet.example/alice'],
    ['https://wallet.example/alice/', 'https://wallet.example/alice'],
    ['https://wallet.example:443/alice', 'https://wallet.example/alice'],
    ['https://wallet.example:8443/accounts/Bob', 'https://wallet.example:8443/accounts/bob'],
    ['https://wallet.example/~alice', 'https://wallet.example/~alice'],
    ['https://bücher.example/alice', 'https://xn--bcher-kva.example/alice'],
    ['https://wallet.example/Zoë', 'https://wallet.example/zo%c3%ab'],
    ['https://wallet.example/zo%C3%AB', 'https://wallet.example/zo%c3%ab'],
    ['https://127.0.0.1:3000/alice', 'https://127.0.0.1:3000/alice'],
    ['https://[::1]/alice', 'https://[::1]/alice'],
    ['https://wallet.example/.well-known/pay', 'https://wallet.example/.well-known/pay'],
    ['https://wallet.example/alice/jwks.json.bak', 'https://wallet.example/alice/jwks.json.bak'],
    ['https://wallet.example/quote', 'https://wallet.example/quote'],
    ['https://wallet.example/a.b/c..d', 'https://wallet.example/a.b/c..d'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(validateWalletAddressUrl(input)).toEqual({ ok: true, value: canonical })
  })

  it.each([
    [''],
    ['alice'],
    ['wallet.example/alice'],
    ['//wallet.example/alice'],
    ['https:/wallet.example/alice'],
    ['https:wallet.example/alice'],
    ['ftp://wallet.example/alice'],
    ['http://wallet.example/alice'],
    ['https://wallet.example'],
    ['https://wallet.example/'],
    ['https://wallet.example//'],
    ['https:///alice'],
    ['https://wallet.example/alice?'],
    ['https://wallet.example/alice?x=1'],
    ['https://wallet.example/alice#me'],
    ['https://user:secret@wallet.example/alice'],
    ['https://user@wallet.example/alice'],
    ['https://wallet.example/a//b'],
    ['https://wallet.example/./alice'],
    ['https://wallet.example/a/../b'],
    ['https://wallet.example/a/%2e%2E/b'],
    ['https://wallet.example/alice/..'],
    ['https://wallet.example/alice/incoming-payments'],
    ['https://wallet.example/incoming-payments/alice'],
    ['https://wallet.example/alice/outgoing-payments/x'],
    ['https://wallet.example/quotes'],
    ['https://wallet.example/alice/Quotes'],
    ['https://wallet.example/quotesmith'],
    ['https://wallet.example/alice/jwks.json'],
    ['https://wallet.example/alice/JWKS.json'],
    ['https://wallet.example/alice/did.json'],
    [' https://wallet.example/alice'],
    ['https://wallet.example/alice '],
    ['https://wallet.example/al ice'],
    ['https://wallet.example/al\tice'],
    ['https://wallet.example/al\nice'],
    ['https://wallet.example/al\u0000ice'],
    ['https://wallet.example\\alice'],
    ['https://wal let.example/alice'],
    [`https://wallet.example/${'a'.repeat(walletAddressUrlLengthMax)}`],
  ])('refuses %j', (input) => {
    expect(validateWalletAddressUrl(input)).toEqual({ ok: false, error: 'invalid_url' })
  })

  it('accepts http only when told to', () => {
    expect(validateWalletAddressUrl('http://localhost:3003/Alice', { allowHttp: true })).toEqual({
      ok: true,
      value: 'http://localhost:3003/alice',
    })
    expect(validateWalletAddressUrl('http://localhost:3003/alice').ok).toBe(false)
    expect(validateWalletAddressUrl('ws://localhost/alice', { allowHttp: true }).ok).toBe(false)
  })

  it('gives one canonical form to every spelling, so it is a fixed point', () => {
    const spellings = [
      'https://Wallet.Example:443/Alice/',
      'https://wallet.example/ALICE',
      'HTTPS://WALLET.EXAMPLE/alice',
    ]
    const canonical = spellings.map((spelling) => validateWalletAddressUrl(spelling))
    expect(new Set(canonical.map((result) => result.ok && result.value))).toEqual(
      new Set(['https://wallet.example/alice']),
    )
    expect(validateWalletAddressUrl('https://wallet.example/alice')).toEqual(canonical[0])
  })
})

describe('cleanAdditionalProperties', () => {
  it('trims, drops blank pairs and keeps duplicates and order', () => {
    const cleaned = cleanAdditionalProperties([
      { key: ' iban ', value: ' NL91 ', visibleInOpenPayments: false },
      { key: '  ', value: 'x', visibleInOpenPayments: true },
      { key: 'y', value: '\t', visibleInOpenPayments: true },
      { key: 'name', value: 'A', visibleInOpenPayments: true },
      { key: 'name', value: 'B', visibleInOpenPayments: true },
    ])
    expect(cleaned).toEqual({
      ok: true,
      value: [
        { key: 'iban', value: 'NL91', visibleInOpenPayments: false },
        { key: 'name', value: 'A', visibleInOpenPayments: true },
        { key: 'name', value: 'B', visibleInOpenPayments: true },
      ],
    })
  })

  it('refuses too many pairs and over-long keys or values', () => {
    const pair = (i: number) => ({ key: `k${i}`, value: 'v', visibleInOpenPayments: false })
    const many = Array.from({ length: additionalPropertiesMax }, (_, i) => pair(i))
    expect(cleanAdditionalProperties(many).ok).toBe(true)
    const refused = { ok: false, error: 'invalid_additional_properties' }
    expect(cleanAdditionalProperties([...many, pair(-1)])).toEqual(refused)
    const long = 'x'.repeat(256)
    expect(cleanAdditionalProperties([{ ...pair(0), key: long }])).toEqual(refused)
    expect(cleanAdditionalProperties([{ ...pair(0), value: long }])).toEqual(refused)
    expect(cleanAdditionalProperties([{ ...pair(0), value: ` ${'x'.repeat(255)} ` }]).ok).toBe(true)
  })
})

describe('wallet address fields', () => {
  it('bounds the public name', () => {
    expect(validatePublicName(null)).toEqual({ ok: true, value: null })
    expect(validatePublicName('x'.repeat(255)).ok).toBe(true)
    expect(validatePublicName('x'.repeat(256))).toEqual({
      ok: false,
      error: 'invalid_public_name',
    })
  })

  it('knows the two statuses only', () => {
    expect(['ACTIVE', 'INACTIVE', 'active', ''].map(isWalletAddressStatus)).toEqual([
      true,
      true,
      false,
      false,
    ])
  })

  it('moves deactivatedAt only when the status changes', () => {
    const now = new Date(2_000)
    const earlier = new Date(1_000)
    const active = { status: 'ACTIVE', deactivatedAt: null } as const
    const inactive = { status: 'INACTIVE', deactivatedAt: earlier } as const
    expect(deactivatedAtAfter(active, 'INACTIVE', now)).toBe(now)
    expect(deactivatedAtAfter(active, 'ACTIVE', now)).toBeNull()
    expect(deactivatedAtAfter(inactive, 'INACTIVE', now)).toBe(earlier)
    expect(deactivatedAtAfter(inactive, 'ACTIVE', now)).toBeNull()
  })

  it('shows visible properties only, the last of a key winning, or nothing', () => {
    expect(
      visibleAdditionalProperties([
        { key: 'a', value: '1', visibleInOpenPayments: true },
        { key: 'secret', value: 's', visibleInOpenPayments: false },
        { key: 'a', value: '2', visibleInOpenPayments: true },
      ]),
    ).toEqual({ a: '2' })
    expect(
      visibleAdditionalProperties([{ key: 's', value: 's', visibleInOpenPayments: false }]),
    ).toBeUndefined()
    expect(visibleAdditionalProperties([])).toBeUndefined()
  })
})
