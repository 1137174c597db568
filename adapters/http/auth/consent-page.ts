// The built-in consent page: the identity provider of the embedded default, for operators without
// one of their own (IDENTITY_SERVER_URL then points here, e.g. http://localhost:3009/consent).
// GET /consent?interactId&nonce shows who asks for what, with Accept and Reject; the POST answers
// through the same use case as the IdP back channel, in process, and sends the browser to the
// auth server's /interact/{id}/{nonce}/finish.
//
// It authenticates nobody: whoever can open it with an interaction's id and nonce (which the
// client also knows) can answer for the user. So it is for development and single-user setups;
// in production it must sit behind a secret the operator controls: with `requireSecret` set
// (IDENTITY_SERVER_SECRET when NODE_ENV=production) every request needs HTTP Basic auth with that
// password (any user name), compared in constant time. The form carries a token, an HMAC of the
// interaction under `csrfKey`, so another site cannot make a browser (which resends Basic
// credentials by itself) answer: it cannot read the page to learn the token.
import { Buffer } from 'node:buffer'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import type {
  ChooseInteraction,
  ChooseInteractionError,
} from '../../../application/auth/interaction-decide.ts'
import type {
  GetInteractionDetails,
  GetInteractionDetailsError,
} from '../../../application/auth/interaction-details.ts'
import { secretsEqual } from '../../../application/auth/token-response.ts'
import { consentHtml, escapeHtml, pageHtml } from './consent-page-html.ts'
import { macEquals, macOf } from './session-cookie.ts'

export type ConsentPageOptions = {
  readonly enabled: boolean
  /** When set, HTTP Basic auth with this password guards every request (production). */
  readonly requireSecret?: string
  /** AUTH_SERVER_URL: the browser is sent to its /interact/{id}/{nonce}/finish. */
  readonly authServerUrl: string
  /** Signs the form token (COOKIE_KEY). */
  readonly csrfKey: string
}

export type ConsentPageDeps = Omit<ConsentPageOptions, 'enabled'> & {
  readonly getInteractionDetails: GetInteractionDetails
  readonly chooseInteraction: ChooseInteraction
}

/** A form of four short fields: anything larger is not ours. */
export const consentBodyBytesMax = 4096
const fieldLengthMax = 512

const field = v.pipe(v.string(), v.minLength(1), v.maxLength(fieldLengthMax))
const querySchema = v.object({ interactId: field, nonce: field })
const formSchema = v.object({
  interactId: field,
  nonce: field,
  token: field,
  decision: v.picklist(['accept', 'reject']),
})

type Refusal = readonly [status: ContentfulStatusCode, message: string]

const detailsRefusals = {
  unknown_interaction: [404, 'This request is unknown or was withdrawn.'],
  expired: [410, 'This request has expired. Ask the application to start again.'],
} as const satisfies Record<GetInteractionDetailsError, Refusal>

const choiceRefusals = {
  unknown_interaction: [404, 'This request is unknown or was withdrawn.'],
  user_denied: [409, 'This request was already rejected.'],
  already_decided: [409, 'This request was already answered.'],
  expired: [410, 'This request has expired. Ask the application to start again.'],
} as const satisfies Record<ChooseInteractionError, Refusal>

function securityHeaders(c: Context) {
  c.header('cache-control', 'no-store')
  c.header(
    'content-security-policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  )
  c.header('x-frame-options', 'DENY')
  c.header('referrer-policy', 'no-referrer')
  c.header('x-content-type-options', 'nosniff')
}

/** The password of `Authorization: Basic base64(user:password)`; any user name is accepted. */
function basicPassword(header: string | undefined): string | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]{1,1024})$/i.exec(header ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : decoded.slice(colon + 1)
}

// Answered here rather than thrown: the app's JSON error handler would drop WWW-Authenticate,
// and without it a browser does not ask for the password.
const challenge = (c: Context) => {
  c.header('www-authenticate', 'Basic realm="consent", charset="UTF-8"')
  return c.html(pageHtml('Grant request', '<p id="error">Sign in to answer.</p>'), 401)
}

const refuse = (c: Context, [status, message]: Refusal, continueUrl?: string) => {
  const next = continueUrl
    ? `<p><a id="continue" class="button" href="${escapeHtml(continueUrl)}">Continue</a></p>`
    : ''
  return c.html(pageHtml('Grant request', `<p id="error">${message}</p>${next}`), status)
}

export function makeConsentPage(deps: ConsentPageDeps): Hono {
  const app = new Hono()
  const base = deps.authServerUrl.replace(/\/+$/, '')
  const finishUrl = (id: string, nonce: string) =>
    `${base}/interact/${encodeURIComponent(id)}/${encodeURIComponent(nonce)}/finish`
  const tokenOf = (id: string, nonce: string) => macOf(deps.csrfKey, 'consent-form', id, nonce)

  app.use(async (c, next) => {
    securityHeaders(c)
    await next()
  })
  const secret = deps.requireSecret
  if (secret !== undefined) {
    app.use(async (c, next) => {
      const password = basicPassword(c.req.header('authorization'))
      if (password === undefined || !secretsEqual(password, secret)) return challenge(c)
      await next()
    })
  }

  app.get('/', async (c) => {
    const query = v.safeParse(querySchema, c.req.query())
    if (!query.success) return refuse(c, [400, 'The link is incomplete.'])
    const { interactId: id, nonce } = query.output
    // Who asks is read from the grant, never from the clientName in the URL, which anyone can
    // write.
    const details = await deps.getInteractionDetails(id, nonce)
    if (!details.ok) return refuse(c, detailsRefusals[details.error])
    const form = { nonce, token: tokenOf(id, nonce), finishUrl: finishUrl(id, nonce) }
    return c.html(consentHtml(details.value, form))
  })

  app.post('/', bodyLimit({ maxSize: consentBodyBytesMax }), async (c) => {
    const parsed = v.safeParse(formSchema, await c.req.parseBody())
    if (!parsed.success) return refuse(c, [400, 'The form is incomplete.'])
    const { interactId: id, nonce, token, decision } = parsed.output
    if (!macEquals(token, tokenOf(id, nonce))) return refuse(c, [403, 'The form has expired.'])
    const chosen = await deps.chooseInteraction(id, nonce, decision)
    if (!chosen.ok) {
      // Answered before (a second click, another tab): the browser may still go on to finish.
      const answered = chosen.error === 'already_decided' || chosen.error === 'user_denied'
      return refuse(c, choiceRefusals[chosen.error], answered ? finishUrl(id, nonce) : undefined)
    }
    // 303: the browser follows with a GET.
    return c.redirect(finishUrl(id, nonce), 303)
  })

  return app
}
