// The cookie that binds a browser to one user interaction: set when the interaction starts (GET
// /interact/{id}/{nonce}) and required to finish it, so a finish URL that leaks (the client knows
// it) cannot be followed from another browser. Rafiki keeps a koa-session with the nonce; ours is
// stateless: an HMAC-SHA256 under COOKIE_KEY over the interaction's id and nonce, scoped by Path
// to that interaction so that several interactions in one browser do not overwrite each other.
import { Buffer } from 'node:buffer'
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

export const interactionCookieName = 'gnap_interaction'

/**
 * INTERACTION_COOKIE_SAME_SITE; unset means lax, what browsers assume for a cookie without it.
 * Rafiki takes lax or none; strict works only when the identity provider is on the same site
 * (the built-in consent page), as the finish redirect comes from it.
 */
export type CookieSameSite = 'lax' | 'none' | 'strict'

const sameSiteAttribute = {
  lax: 'Lax',
  none: 'None',
  strict: 'Strict',
} as const satisfies Record<CookieSameSite, string>

export type InteractionCookieOptions = {
  /** COOKIE_KEY. */
  readonly cookieKey: string
  readonly sameSite?: CookieSameSite
  /** AUTH_SERVER_URL: its path prefixes the cookie's Path, its scheme decides Secure. */
  readonly authServerUrl: string
}

const version = 'v1'

/** base64url HMAC-SHA256 under `key` of a purpose label and parts (JSON: unambiguous). */
export function macOf(key: string, purpose: string, ...parts: readonly string[]): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([purpose, ...parts]))
    .digest('base64url')
}

/** Constant-time comparison of a presented MAC with the expected one (whose length is public). */
export function macEquals(presented: string, expected: string): boolean {
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const sessionMac = (key: string, id: string, nonce: string) =>
  `${version}.${macOf(key, 'gnap-interaction-session', id, nonce)}`

function cookiePath(authServerUrl: string, id: string, nonce: string): string {
  const base = new URL(authServerUrl).pathname.replace(/\/+$/, '')
  return `${base}/interact/${encodeURIComponent(id)}/${encodeURIComponent(nonce)}`
}

function attributes(options: InteractionCookieOptions, id: string, nonce: string) {
  const sameSite = options.sameSite ?? 'lax'
  // SameSite=None is ignored by browsers unless Secure; Chromium treats localhost as secure.
  const secure = sameSite === 'none' || new URL(options.authServerUrl).protocol === 'https:'
  const path = cookiePath(options.authServerUrl, id, nonce)
  return { path, httpOnly: true, secure, sameSite: sameSiteAttribute[sameSite] } as const
}

export function setInteractionCookie(
  c: Context,
  options: InteractionCookieOptions,
  interaction: { readonly id: string; readonly nonce: string },
  maxAgeSeconds: number,
): void {
  const { id, nonce } = interaction
  setCookie(c, interactionCookieName, sessionMac(options.cookieKey, id, nonce), {
    ...attributes(options, id, nonce),
    maxAge: Math.max(0, Math.ceil(maxAgeSeconds)),
  })
}

/** Whether the request carries the cookie set when this interaction was started. */
export function hasInteractionCookie(
  c: Context,
  options: InteractionCookieOptions,
  id: string,
  nonce: string,
): boolean {
  const presented = getCookie(c, interactionCookieName)
  return presented !== undefined && macEquals(presented, sessionMac(options.cookieKey, id, nonce))
}

export function clearInteractionCookie(
  c: Context,
  options: InteractionCookieOptions,
  id: string,
  nonce: string,
): void {
  deleteCookie(c, interactionCookieName, attributes(options, id, nonce))
}
