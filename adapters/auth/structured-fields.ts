// RFC 8941 structured field values, the part HTTP message signatures (RFC 9421) and
// Content-Digest (RFC 9530) use: dictionaries whose members are items or inner lists. Parsing
// follows the RFC's algorithms and fails (undefined) on anything they reject; serializing gives
// the canonical form, which is what a signature base must contain.
import { Buffer } from 'node:buffer'

export type BareItem =
  | { readonly type: 'integer' | 'decimal'; readonly value: number }
  | { readonly type: 'string' | 'token'; readonly value: string }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'boolean'; readonly value: boolean }

export type Parameters = ReadonlyMap<string, BareItem>

export type Item = { readonly kind: 'item'; readonly bare: BareItem; readonly params: Parameters }

export type InnerList = {
  readonly kind: 'inner-list'
  readonly items: readonly Item[]
  readonly params: Parameters
}

export type Dictionary = ReadonlyMap<string, Item | InnerList>

// Field values longer than this are refused before parsing; real signature headers are < 1 KiB.
const fieldLengthMax = 8192
const integerDigitsMax = 15

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isLcAlpha = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z'
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
const keyChars = /^[a-z0-9_\-.*]$/
const tokenChars = /^[!#$%&'*+\-.^_`|~0-9A-Za-z:/]$/
const base64Text = /^[A-Za-z0-9+/]*={0,2}$/

// The parser's position in the field value; every parse function moves `at` past what it read.
type Cursor = { readonly text: string; at: number }

const peek = (c: Cursor): string | undefined => c.text[c.at]
const done = (c: Cursor): boolean => c.at >= c.text.length

function skip(c: Cursor, chars: string): void {
  while (!done(c) && chars.includes(peek(c) ?? '')) c.at++
}

/** Parses a Dictionary field value (RFC 8941 section 4.2.2). */
export function parseDictionary(text: string): Dictionary | undefined {
  if (text.length > fieldLengthMax) return undefined
  const c: Cursor = { text, at: 0 }
  skip(c, ' ')
  const members = new Map<string, Item | InnerList>()
  while (!done(c)) {
    const key = parseKey(c)
    if (key === undefined) return undefined
    let member: Item | InnerList | undefined
    if (peek(c) === '=') {
      c.at++
      member = peek(c) === '(' ? parseInnerList(c) : parseItem(c)
    } else {
      const params = parseParameters(c)
      member = params && { kind: 'item', bare: { type: 'boolean', value: true }, params }
    }
    if (member === undefined) return undefined
    // A repeated key overwrites the earlier value (RFC 8941 section 4.2.2).
    members.set(key, member)
    skip(c, ' \t')
    if (done(c)) return members
    if (peek(c) !== ',') return undefined
    c.at++
    skip(c, ' \t')
    if (done(c)) return undefined
  }
  return members
}

function parseKey(c: Cursor): string | undefined {
  const first = peek(c)
  if (!isLcAlpha(first) && first !== '*') return undefined
  const start = c.at
  while (!done(c) && keyChars.test(peek(c) ?? '')) c.at++
  return c.text.slice(start, c.at)
}

function parseParameters(c: Cursor): Parameters | undefined {
  const params = new Map<string, BareItem>()
  while (peek(c) === ';') {
    c.at++
    skip(c, ' ')
    const name = parseKey(c)
    if (name === undefined) return undefined
    let value: BareItem | undefined = { type: 'boolean', value: true }
    if (peek(c) === '=') {
      c.at++
      value = parseBareItem(c)
      if (value === undefined) return undefined
    }
    params.set(name, value)
  }
  return params
}

function parseItem(c: Cursor): Item | undefined {
  const bare = parseBareItem(c)
  const params = bare && parseParameters(c)
  return bare && params && { kind: 'item', bare, params }
}

function parseInnerList(c: Cursor): InnerList | undefined {
  c.at++
  const items: Item[] = []
  for (;;) {
    skip(c, ' ')
    if (done(c)) return undefined
    if (peek(c) === ')') {
      c.at++
      const params = parseParameters(c)
      return params && { kind: 'inner-list', items, params }
    }
    const item = parseItem(c)
    if (item === undefined) return undefined
    items.push(item)
    if (peek(c) !== ' ' && peek(c) !== ')') return undefined
  }
}

function parseBareItem(c: Cursor): BareItem | undefined {
  const first = peek(c)
  if (first === '-' || isDigit(first)) return parseNumber(c)
  if (first === '"') return parseString(c)
  if (first === ':') return parseBytes(c)
  if (first === '?') return parseBoolean(c)
  if (isAlpha(first) || first === '*') return parseToken(c)
  return undefined
}

function parseNumber(c: Cursor): BareItem | undefined {
  const match = /^-?(\d+)(?:\.(\d*))?/.exec(c.text.slice(c.at, c.at + 20))
  if (match === null) return undefined
  const [whole = '', integerPart = '', fraction] = match
  c.at += whole.length
  if (fraction === undefined) {
    if (integerPart.length > integerDigitsMax) return undefined
    return { type: 'integer', value: Number(whole) }
  }
  if (integerPart.length > 12 || fraction.length < 1 || fraction.length > 3) return undefined
  return { type: 'decimal', value: Number(whole) }
}

function parseString(c: Cursor): BareItem | undefined {
  c.at++
  let value = ''
  while (!done(c)) {
    const char = c.text[c.at++] ?? ''
    if (char === '"') return { type: 'string', value }
    if (char === '\\') {
      const escaped = c.text[c.at++]
      if (escaped !== '"' && escaped !== '\\') return undefined
      value += escaped
    } else if (char < ' ' || char > '~') {
      return undefined
    } else {
      value += char
    }
  }
  return undefined
}

function parseToken(c: Cursor): BareItem {
  const start = c.at
  c.at++
  while (!done(c) && tokenChars.test(peek(c) ?? '')) c.at++
  return { type: 'token', value: c.text.slice(start, c.at) }
}

function parseBytes(c: Cursor): BareItem | undefined {
  const end = c.text.indexOf(':', c.at + 1)
  if (end === -1) return undefined
  const encoded = c.text.slice(c.at + 1, end)
  if (!base64Text.test(encoded)) return undefined
  c.at = end + 1
  return { type: 'bytes', value: new Uint8Array(Buffer.from(encoded, 'base64')) }
}

function parseBoolean(c: Cursor): BareItem | undefined {
  const value = c.text[c.at + 1]
  if (value !== '0' && value !== '1') return undefined
  c.at += 2
  return { type: 'boolean', value: value === '1' }
}

/** The canonical serialization of an inner list with its parameters (RFC 8941 section 4.1.1.1). */
export function serializeInnerList(list: InnerList): string {
  const items = list.items.map(
    (item) => serializeBareItem(item.bare) + serializeParams(item.params),
  )
  return `(${items.join(' ')})${serializeParams(list.params)}`
}

export function serializeParams(params: Parameters): string {
  let text = ''
  for (const [name, value] of params) {
    text +=
      value.type === 'boolean' && value.value ? `;${name}` : `;${name}=${serializeBareItem(value)}`
  }
  return text
}

export function serializeBareItem(item: BareItem): string {
  switch (item.type) {
    case 'integer':
      return String(item.value)
    case 'decimal':
      return serializeDecimal(item.value)
    case 'string':
      return `"${item.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`
    case 'token':
      return item.value
    case 'bytes':
      return `:${Buffer.from(item.value).toString('base64')}:`
    case 'boolean':
      return item.value ? '?1' : '?0'
  }
}

// At most three fractional digits, at least one (RFC 8941 section 4.1.5).
function serializeDecimal(value: number): string {
  const fixed = (Math.round(value * 1000) / 1000).toFixed(3)
  return fixed.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0')
}
