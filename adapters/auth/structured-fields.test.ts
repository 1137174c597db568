import { describe, expect, it } from 'vitest'
import {
  parseDictionary,
  serializeBareItem,
  serializeInnerList,
  type InnerList,
} from './structured-fields.ts'

describe('parseDictionary', () => {
  it('reads inner lists with parameters, as Signature-Input carries them', () => {
    const dictionary = parseDictionary(
      'sig1=("@method" "@target-uri");keyid="k-1";created=1618884473;alg=ed25519;flag',
    )
    const member = dictionary?.get('sig1')
    expect(member?.kind).toBe('inner-list')
    const list = member as InnerList
    expect(list.items.map((item) => item.bare)).toEqual([
      { type: 'string', value: '@method' },
      { type: 'string', value: '@target-uri' },
    ])
    expect([...list.params]).toEqual([
      ['keyid', { type: 'string', value: 'k-1' }],
      ['created', { type: 'integer', value: 1618884473 }],
      ['alg', { type: 'token', value: 'ed25519' }],
      ['flag', { type: 'boolean', value: true }],
    ])
  })

  it('reads byte sequences, several members and optional whitespace', () => {
    const dictionary = parseDictionary('sha-256=:AQID:,\tsha-512=:BAU=:  ,  a=?0, b')
    expect(dictionary?.get('sha-256')).toEqual({
      kind: 'item',
      bare: { type: 'bytes', value: new Uint8Array([1, 2, 3]) },
      params: new Map(),
    })
    expect(dictionary?.get('sha-512')).toMatchObject({ bare: { value: new Uint8Array([4, 5]) } })
    expect(dictionary?.get('a')).toMatchObject({ bare: { type: 'boolean', value: false } })
    expect(dictionary?.get('b')).toMatchObject({ bare: { type: 'boolean', value: true } })
  })

  it('reads numbers, strings with escapes and tokens', () => {
    const dictionary = parseDictionary('i=-42, d=1.25, s="a \\"q\\" \\\\ b", t=*x/y:z')
    expect(dictionary?.get('i')).toMatchObject({ bare: { type: 'integer', value: -42 } })
    expect(dictionary?.get('d')).toMatchObject({ bare: { type: 'decimal', value: 1.25 } })
    expect(dictionary?.get('s')).toMatchObject({ bare: { type: 'string', value: 'a "q" \\ b' } })
    expect(dictionary?.get('t')).toMatchObject({ bare: { type: 'token', value: '*x/y:z' } })
  })

  it('lets a repeated key overwrite the earlier value', () => {
    expect(parseDictionary('a=1, a=2')?.get('a')).toMatchObject({ bare: { value: 2 } })
  })

  it.each([
    ['a trailing comma', 'a=1,'],
    ['an upper-case key', 'A=1'],
    ['a key starting with a digit', '1a=1'],
    ['an unterminated string', 'a="abc'],
    ['a bad escape', 'a="\\n"'],
    ['a control character', 'a="\u0001"'],
    ['a non-ASCII character', 'a="é"'],
    ['an integer of 16 digits', 'a=1234567890123456'],
    ['a decimal without fraction', 'a=1.'],
    ['a decimal with 4 fraction digits', 'a=1.2345'],
    ['a lone minus', 'a=-'],
    ['a bad boolean', 'a=?2'],
    ['bytes that are not base64', 'a=:a*b:'],
    ['an unclosed inner list', 'a=(1 2'],
    ['items not separated by a space', 'a=(1"x")'],
    ['two members without a comma', 'a=1 b=2'],
    ['a bad parameter key', 'a=1;B=2'],
    ['a value longer than 8 KiB', `a="${'x'.repeat(9000)}"`],
  ])('refuses %s', (_, text) => {
    expect(parseDictionary(text)).toBe(undefined)
  })

  it('accepts an empty value as an empty dictionary', () => {
    expect(parseDictionary('')).toEqual(new Map())
  })
})

describe('serialization', () => {
  it('gives back the canonical text of a parsed inner list', () => {
    const text = '("@method" "x";p=1);keyid="a\\"b";created=1;f;d=0.5;b=:AQI=:;t=tok'
    const list = parseDictionary(`sig=${text}`)?.get('sig') as InnerList
    expect(serializeInnerList(list)).toBe(text)
  })

  it('normalises optional whitespace away', () => {
    const list = parseDictionary('sig=(  "a"   "b"  );x=1')?.get('sig') as InnerList
    expect(serializeInnerList(list)).toBe('("a" "b");x=1')
  })

  it('writes decimals with one to three fraction digits', () => {
    expect(serializeBareItem({ type: 'decimal', value: 2 })).toBe('2.0')
    expect(serializeBareItem({ type: 'decimal', value: 1.5 })).toBe('1.5')
    expect(serializeBareItem({ type: 'decimal', value: 0.125 })).toBe('0.125')
    expect(serializeBareItem({ type: 'boolean', value: false })).toBe('?0')
  })
})
