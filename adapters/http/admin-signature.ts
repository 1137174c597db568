import { Buffer } from 'node:buffer'
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { canonicalJson } from '../../domain/shared/canonical-json.ts'
import type { Cache } from '../../application/ports/cache.ts'
import type { Clock } from '../../application/ports/clock.ts'

export type AdminSignatureOptions = {
  readonly secret: string
  readonly version: number
  readonly ttlSeconds: number
  readonly cache: Cache
  readonly clock: Clock
}

type Parsed = { readonly timestampMs: number; readonly digest: string }

/** `signature: t=<unix ms>, v<version>=<hex HMAC-SHA256(secret, "<t>." + canonical body)>` */
function parseHeader(header: string, version: number): Parsed | undefined {
  const parts = new Map(
    header.split(',').map((part) => {
      const [key = '', ...value] = part.trim().split('=')
      return [key, value.join('=')] as const
    }),
  )
  const timestamp = parts.get('t')
  const digest = parts.get(`v${version}`)
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) return undefined
  if (digest === undefined || !/^[0-9a-f]{64}$/i.test(digest)) return undefined
  return { timestampMs: Number(timestamp), digest: digest.toLowerCase() }
}

export function signAdminRequest(secret: string, timestampMs: number, body: unknown): string {
  const { variables, operationName, query } = (body ?? {}) as Record<string, unknown>
  const payload = `${timestampMs}.${canonicalJson({ variables, operationName, query })}`
  return createHmac('sha256', secret).update(payload).digest('hex')
}

/**
 * Optional HMAC authentication of admin requests (API_SECRET): missing, malformed, stale, wrong
 * or replayed signatures get 401 before GraphQL sees the request.
 */
export function verifyAdminSignature(options: AdminSignatureOptions): MiddlewareHandler {
  const ttlMs = options.ttlSeconds * 1000
  return async (c, next) => {
    const refuse = (description: string) =>
      c.json({ errors: [{ message: description, extensions: { code: 'UNAUTHENTICATED' } }] }, 401)
    if (c.req.method !== 'POST') return refuse('Admin API requests must be signed POSTs')
    const parsed = parseHeader(c.req.header('signature') ?? '', options.version)
    if (!parsed) return refuse('Missing or malformed signature header')
    const age = options.clock.now() - parsed.timestampMs
    if (age > ttlMs || age < -ttlMs) return refuse('Signature is stale')
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return refuse('Signed request body must be JSON')
    }
    const expected = signAdminRequest(options.secret, parsed.timestampMs, body)
    const matches = timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(parsed.digest, 'hex'))
    if (!matches) return refuse('Signature does not match')
    const fresh = await options.cache.setIfAbsent(
      `admin-signature:${parsed.digest}`,
      '1',
      2 * ttlMs,
    )
    if (!fresh) return refuse('Signature was already used')
    await next()
  }
}
