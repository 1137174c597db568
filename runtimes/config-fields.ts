// Field schemas for environment variables: each takes the raw string (or undefined when unset or
// empty) and yields a typed value, with the expectation spelled out for the boot error.
import { Buffer } from 'node:buffer'
import * as v from 'valibot'

const wholeNumber = /^\d+$/

const wholeNumberIn = (min: number, max: number) => {
  const expected = `a whole number from ${min} to ${max}`
  return v.pipe(
    v.string(),
    v.regex(wholeNumber, expected),
    v.transform(Number),
    v.minValue(min, expected),
    v.maxValue(max, expected),
  )
}

export const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  v.optional(wholeNumberIn(min, max), String(fallback))

export const optionalInt = (min = 0, max = Number.MAX_SAFE_INTEGER) =>
  v.optional(wholeNumberIn(min, max))

export const port = (fallback: number) => int(fallback, 0, 65535)

export const fraction = (fallback: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'a decimal number from 0 to 1'),
      v.transform(Number),
    ),
    String(fallback),
  )

/** Booleans are true only for the string "true" (Rafiki's rule); anything else is false. */
export const bool = (fallback: boolean) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((raw) => raw === 'true'),
    ),
    String(fallback),
  )

const isUrl = (raw: string, protocols: readonly string[]): boolean => {
  try {
    return protocols.includes(new URL(raw).protocol)
  } catch {
    return false
  }
}

export const httpUrl = () =>
  v.pipe(
    v.string(),
    v.check((raw) => isUrl(raw, ['http:', 'https:']), 'an http(s) URL'),
  )

export const optionalHttpUrl = () => v.optional(httpUrl())

export const text = () => v.optional(v.string())

export const picklist = <const T extends readonly [string, ...string[]]>(
  options: T,
  fallback: T[number],
) => v.optional(v.picklist(options, `one of ${options.join(', ')}`), fallback)

export const base64Bytes = (length: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.check(
        (raw) =>
          /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) && Buffer.from(raw, 'base64').length === length,
        `base64 of exactly ${length} bytes`,
      ),
    ),
  )

/** postgresql://, postgres://, pglite://PATH or pglite://memory. */
export const databaseUrl = () =>
  v.optional(
    v.pipe(
      v.string(),
      v.check(
        (raw) => /^(postgres|postgresql):\/\/.+/.test(raw) || /^pglite:\/\/.+/.test(raw),
        'postgresql://USER@HOST:PORT/DB, pglite://PATH or pglite://memory',
      ),
    ),
  )

export const redisUrl = () =>
  v.optional(
    v.pipe(
      v.string(),
      v.check((raw) => isUrl(raw, ['redis:', 'rediss:']), 'a redis:// or rediss:// URL'),
    ),
  )

export const addressList = (fallback: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.check(
        (raw) => raw.split(',').every((part) => /^([^\s:,]+:)?\d{1,5}$/.test(part.trim())),
        'a comma-separated list of PORT or HOST:PORT',
      ),
      v.transform((raw) => raw.split(',').map((part) => part.trim())),
    ),
    fallback,
  )

/** An ILP address (RFC 0015): scheme then dot-separated segments. */
export const ilpAddress = () =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(g|private|example|peer|self|test[1-3]?|local)([.][a-zA-Z0-9_~-]+)+$/,
        'an ILP address such as test.node or g.example.node',
      ),
    ),
  )
