import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import {
  hasInteractionCookie,
  macEquals,
  macOf,
  setInteractionCookie,
  type InteractionCookieOptions,
} from './session-cookie.ts'

function appWith(options: InteractionCookieOptions) {
  const app = new Hono()
  app.get('/set', (c) => {
    setInteractionCookie(c, options, { id: 'I1', nonce: 'N1' }, 90.2)
    return c.body(null, 204)
  })
  app.get('/check/:id/:nonce', (c) =>
    c.text(String(hasInteractionCookie(c, options, c.req.param('id'), c.req.param('nonce')))),
  )
  return app
}

describe('the interaction cookie', () => {
  it('is scoped under the path of AUTH_SERVER_URL; not Secure on plain http with lax', async () => {
    const app = appWith({ cookieKey: 'k', authServerUrl: 'http://localhost:3006/auth/' })
    const header = (await app.request('/set')).headers.get('set-cookie') ?? ''
    expect(header).toContain('Path=/auth/interact/I1/N1')
    expect(header).toContain('Max-Age=91')
    expect(header).toContain('HttpOnly')
    expect(header).toContain('SameSite=Lax')
    expect(header).not.toContain('Secure')
  })

  it('carries INTERACTION_COOKIE_SAME_SITE; none is always Secure', async () => {
    const base = { cookieKey: 'k', authServerUrl: 'http://localhost:3006' }
    const header = async (sameSite: 'lax' | 'none' | 'strict') =>
      (await appWith({ ...base, sameSite }).request('/set')).headers.get('set-cookie') ?? ''
    expect(await header('strict')).toContain('SameSite=Strict')
    expect(await header('none')).toMatch(/SameSite=None.*Secure|Secure.*SameSite=None/)
    expect(await header('lax')).toContain('SameSite=Lax')
  })

  it('verifies only for its interaction and its key', async () => {
    const options = { cookieKey: 'k', authServerUrl: 'https://auth.example' }
    const app = appWith(options)
    const cookie = ((await app.request('/set')).headers.get('set-cookie') ?? '').split(';')[0]!
    const check = async (path: string, sent = cookie) =>
      (await app.request(path, { headers: { cookie: sent } })).text()
    expect(await check('/check/I1/N1')).toBe('true')
    expect(await check('/check/I1/N2')).toBe('false')
    expect(await check('/check/I2/N1')).toBe('false')
    const otherKey = appWith({ ...options, cookieKey: 'k2' })
    const res = await otherKey.request('/check/I1/N1', { headers: { cookie } })
    expect(await res.text()).toBe('false')
  })
})

describe('macOf / macEquals', () => {
  it('separates purposes and parts, and compares exactly', () => {
    const mac = macOf('key', 'p', 'a', 'b')
    expect(macEquals(mac, macOf('key', 'p', 'a', 'b'))).toBe(true)
    expect(macEquals(mac, macOf('key', 'q', 'a', 'b'))).toBe(false)
    expect(macEquals(mac, macOf('key', 'p', 'a\nb'))).toBe(false)
    expect(macEquals(mac, macOf('other', 'p', 'a', 'b'))).toBe(false)
    expect(macEquals(mac, macOf('key', 'p', 'ab'))).toBe(false)
    expect(macEquals(mac, mac.slice(1))).toBe(false)
    expect(macEquals('', mac)).toBe(false)
  })
})
