// Module specifiers from TypeScript source without a parser: a tokenizer that knows enough of the
// lexical grammar that comments, strings, template literals and regular expressions never pass
// for imports, then a walk over the import and export forms.

export type Token = { readonly kind: 'name' | 'string' | 'punct' | 'other'; readonly value: string }

const keywordsBeforeExpression = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
])

const nameStart = /[A-Za-z_$#\u0080-\uffff]/
const namePart = /[\w$\u0080-\uffff]/
const numberPart = /[\w.]/

export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  const braces: Array<'block' | 'template'> = []
  let i = source.startsWith('#!') ? source.indexOf('\n') : 0
  if (i === -1) return tokens
  while (i < source.length) {
    const c = source.charAt(i)
    const next = source.charAt(i + 1)
    const start = i
    if (/\s/.test(c)) {
      i += 1
    } else if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i)
      i = end === -1 ? source.length : end
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      i = end === -1 ? source.length : end + 2
    } else if (c === "'" || c === '"') {
      i = endOfQuoted(source, i)
      tokens.push({ kind: 'string', value: source.slice(start + 1, i - 1) })
    } else if (c === '`' || (c === '}' && braces.at(-1) === 'template')) {
      if (c === '}') braces.pop()
      const chunk = readTemplateChunk(source, i + 1)
      if (chunk.opensExpression) braces.push('template')
      // A whole template without substitutions is a string: import(`./x.ts`) names a module.
      const whole = c === '`' && !chunk.opensExpression
      tokens.push(
        chunk.opensExpression
          ? { kind: 'punct', value: '${' }
          : { kind: whole ? 'string' : 'other', value: source.slice(start + 1, chunk.end - 1) },
      )
      i = chunk.end
    } else if (c === '/' && regexMayStart(tokens.at(-1))) {
      i = endOfRegex(source, i)
      tokens.push({ kind: 'other', value: source.slice(start, i) })
    } else if (nameStart.test(c)) {
      i = endOf(source, i + 1, namePart)
      tokens.push({ kind: 'name', value: source.slice(start, i) })
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next))) {
      i = endOf(source, i + 1, numberPart)
      tokens.push({ kind: 'other', value: source.slice(start, i) })
    } else {
      const value = source.startsWith('...', i) ? '...' : c === '?' && next === '.' ? '?.' : c
      if (value === '{') braces.push('block')
      if (value === '}') braces.pop()
      tokens.push({ kind: 'punct', value })
      i += value.length
    }
  }
  return tokens
}

function endOf(source: string, from: number, part: RegExp): number {
  let i = from
  while (i < source.length && part.test(source.charAt(i))) i += 1
  return i
}

function endOfQuoted(source: string, start: number): number {
  const quote = source.charAt(start)
  let i = start + 1
  while (i < source.length) {
    const c = source.charAt(i)
    if (c === '\\') i += 2
    else if (c === quote || c === '\n') return i + 1
    else i += 1
  }
  return i
}

function readTemplateChunk(
  source: string,
  from: number,
): { end: number; opensExpression: boolean } {
  let i = from
  while (i < source.length) {
    const c = source.charAt(i)
    if (c === '\\') i += 2
    else if (c === '`') return { end: i + 1, opensExpression: false }
    else if (c === '$' && source.charAt(i + 1) === '{') return { end: i + 2, opensExpression: true }
    else i += 1
  }
  return { end: i, opensExpression: false }
}

// A slash after an operand divides; anywhere else it starts a regular expression.
function regexMayStart(previous: Token | undefined): boolean {
  if (previous === undefined) return true
  if (previous.kind === 'punct') return ![')', ']', '}'].includes(previous.value)
  if (previous.kind === 'name') return keywordsBeforeExpression.has(previous.value)
  return false
}

// A regular expression ends at its unescaped closing slash outside a class, or (misread
// division) at the end of the line, so one wrong guess cannot swallow the rest of the file.
function endOfRegex(source: string, start: number): number {
  let i = start + 1
  let inClass = false
  while (i < source.length) {
    const c = source.charAt(i)
    if (c === '\n') return i
    if (c === '\\') {
      i += 2
      continue
    }
    i += 1
    if (inClass) inClass = c !== ']'
    else if (c === '[') inClass = true
    else if (c === '/') break
  }
  return endOf(source, i, namePart)
}

// ---------------------------------------------------------------------------------------------
// Specifiers and globals from tokens

const isPunct = (token: Token | undefined, value: string): boolean =>
  token?.kind === 'punct' && token.value === value

const isName = (token: Token | undefined, value: string): boolean =>
  token?.kind === 'name' && token.value === value

const isMemberAccess = (token: Token | undefined): boolean =>
  isPunct(token, '.') || isPunct(token, '?.')

const stringAt = (tokens: readonly Token[], i: number): string | undefined => {
  const token = tokens[i]
  return token?.kind === 'string' ? token.value : undefined
}

const fromClause = (tokens: readonly Token[], i: number): string | undefined =>
  isName(tokens[i], 'from') ? stringAt(tokens, i + 1) : undefined

/** Module specifiers of static, side-effect, re-export, dynamic and `import x = require` forms. */
export function specifiersIn(tokens: readonly Token[]): string[] {
  const specifiers: string[] = []
  tokens.forEach((token, i) => {
    if (token.kind !== 'name' || isMemberAccess(tokens[i - 1])) return
    const specifier =
      token.value === 'import'
        ? importSpecifier(tokens, i)
        : token.value === 'export'
          ? exportSpecifier(tokens, i)
          : undefined
    if (specifier !== undefined) specifiers.push(specifier)
  })
  return specifiers
}

// import('x') and typeof import('x'); import 'x'; import ... from 'x'; import x = require('x')
function importSpecifier(tokens: readonly Token[], i: number): string | undefined {
  if (isPunct(tokens[i + 1], '(')) return stringAt(tokens, i + 2)
  return stringAt(tokens, i + 1) ?? clauseSpecifier(tokens, i + 1)
}

// export * from 'x'; export * as x from 'x'; export { a, b as c } from 'x'; export type { A } ...
function exportSpecifier(tokens: readonly Token[], i: number): string | undefined {
  const start = isName(tokens[i + 1], 'type') ? i + 2 : i + 1
  const first = tokens[start]
  return isPunct(first, '*') || isPunct(first, '{') ? clauseSpecifier(tokens, start) : undefined
}

// Walks `type`, a default name, `* as x` and `{ a as b, 'c' as d }` up to `from 'x'`.
function clauseSpecifier(tokens: readonly Token[], start: number): string | undefined {
  let i = start
  while (tokens[i]?.kind === 'name' || isPunct(tokens[i], '*') || isPunct(tokens[i], ',')) {
    const specifier = fromClause(tokens, i)
    if (specifier !== undefined) return specifier
    i += 1
  }
  if (isPunct(tokens[i], '{')) {
    const end = endOfNamedBindings(tokens, i)
    return end === undefined ? undefined : fromClause(tokens, end)
  }
  if (isPunct(tokens[i], '=') && isName(tokens[i + 1], 'require') && isPunct(tokens[i + 2], '(')) {
    return stringAt(tokens, i + 3)
  }
  return undefined
}

function endOfNamedBindings(tokens: readonly Token[], open: number): number | undefined {
  for (let i = open + 1; i < tokens.length; i += 1) {
    const token = tokens[i]
    if (isPunct(token, '}')) return i + 1
    if (token?.kind !== 'name' && token?.kind !== 'string' && !isPunct(token, ',')) return undefined
  }
  return undefined
}

/** Names from `globals` used as objects (`Deno.env`), not as members (`x.Deno`). */
export function runtimeGlobalsIn(tokens: readonly Token[], globals: ReadonlySet<string>): string[] {
  const names = new Set<string>()
  tokens.forEach((token, i) => {
    if (token.kind !== 'name' || !globals.has(token.value)) return
    if (!isMemberAccess(tokens[i - 1]) && isMemberAccess(tokens[i + 1])) names.add(token.value)
  })
  return [...names].sort()
}

export const extractSpecifiers = (source: string): string[] => specifiersIn(tokenize(source))
