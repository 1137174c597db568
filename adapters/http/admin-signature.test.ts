import { describe, expect, it } from 'vitest'
import { makeFakeClock } from '../memory/fake-clock.ts'
import { makeMemoryCache } from '../memory/memory-cache.ts'
import { makeAdminApp } from './admin-app.ts'
import { signAdminRequest } from './admin-signature.ts'

const secret = 'shh'
const silent = { debug() {}, info() {}, warn() {}, error() {} }

const setup = () => {
  const clock = makeFakeClock()
  const seen: unknown[] = []
  const app = makeAdminApp({
    graphql: {
      fetch: async (request) => {
        seen.push(await request.json())
        return Response.json({ data: { ok: true } })
      },
    },
    logger: silent,
    cache: makeMemoryCache(clock),
    clock,
    apiSecret: secret,
    apiSignatureVersion: 1,
    signatureTtlSeconds: 30,
  })
  const post = (body: unknown, signature?: string) =>
    app.request('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature !== undefined && { signature }),
      },
      body: JSON.stringify(body),
    })
  return { clock, seen, post }
}

const body = {
  query: 'query { assets { edges { cursor } } }',
  variables: { a: 1 },
  operationName: null,
}

describe('admin API signatures (API_SECRET)', () => {
  it('passes a fresh, correct signature through to GraphQL with the body intact', async () => {
    const { clock, seen, post } = setup()
    const t = clock.now()
    const response = await post(body, `t=${t}, v1=${signAdminRequest(secret, t, body)}`)
    expect(response.status).toBe(200)
    expect(seen).toEqual([body])
  })

  it('signs canonical JSON, so key order does not matter', async () => {
    const { clock, post } = setup()
    const t = clock.now()
    const reordered = { variables: { a: 1 }, operationName: null, query: body.query }
    const response = await post(reordered, `t=${t}, v1=${signAdminRequest(secret, t, body)}`)
    expect(response.status).toBe(200)
  })

  it.each([
    ['missing', () => undefined],
    ['malformed', () => 'nonsense'],
    ['wrong secret', (t: number) => `t=${t}, v1=${signAdminRequest('other', t, body)}`],
    ['wrong version', (t: number) => `t=${t}, v2=${signAdminRequest(secret, t, body)}`],
    ['stale', (t: number) => `t=${t - 31_000}, v1=${signAdminRequest(secret, t - 31_000, body)}`],
    [
      'from the future',
      (t: number) => `t=${t + 31_000}, v1=${signAdminRequest(secret, t + 31_000, body)}`,
    ],
    [
      'for another body',
      (t: number) => `t=${t}, v1=${signAdminRequest(secret, t, { query: 'x' })}`,
    ],
  ])('refuses a %s signature with 401', async (_name, sign) => {
    const { clock, seen, post } = setup()
    const response = await post(body, sign(clock.now()))
    expect(response.status).toBe(401)
    expect(seen).toEqual([])
  })

  it('refuses a replayed signature', async () => {
    const { clock, seen, post } = setup()
    const t = clock.now()
    const signature = `t=${t}, v1=${signAdminRequest(secret, t, body)}`
    expect((await post(body, signature)).status).toBe(200)
    expect((await post(body, signature)).status).toBe(401)
    expect(seen).toHaveLength(1)
  })

  it('leaves /healthz open', async () => {
    const { clock } = setup()
    const app = makeAdminApp({
      graphql: { fetch: () => new Response('unreachable', { status: 500 }) },
      logger: silent,
      cache: makeMemoryCache(clock),
      clock,
      apiSecret: secret,
      apiSignatureVersion: 1,
      signatureTtlSeconds: 30,
    })
    expect((await app.request('/healthz')).status).toBe(200)
  })
})
