// The front channel of the user interaction on AUTH_PORT (Rafiki auth app.ts `/interact`
// routes): the client's redirect brings the browser here, we bind it with a cookie and send it
// to the identity provider; the IdP sends it back to /finish once the user has answered, and we
// send it on to the client.
import { Hono, type Context } from 'hono'
import type {
  FinishInteraction,
  FinishInteractionError,
} from '../../../application/auth/interaction-finish.ts'
import type {
  StartInteraction,
  StartInteractionError,
} from '../../../application/auth/interaction-start.ts'
import type { Clock } from '../../../application/ports/clock.ts'
import { interactionExpiresAtMs } from '../../../domain/auth/interaction.ts'
import {
  clearInteractionCookie,
  hasInteractionCookie,
  setInteractionCookie,
  type InteractionCookieOptions,
} from './session-cookie.ts'
import { refuse, type Refusal } from './gnap-wire.ts'

export type InteractionRoutesDeps = InteractionCookieOptions & {
  readonly startInteraction: StartInteraction
  readonly finishInteraction: FinishInteraction
  readonly clock: Clock
}

// Rafiki answers 401 unknown_interaction for every refused start.
const startRefusals = {
  unknown_interaction: [401, 'unknown_interaction', 'unknown interaction'],
  not_pending: [401, 'invalid_interaction', 'the interaction was already answered'],
  expired: [401, 'invalid_interaction', 'the interaction has expired'],
} as const satisfies Record<StartInteractionError, Refusal>

const finishRefusals = {
  unknown_interaction: [404, 'unknown_interaction', 'unknown interaction'],
  not_decided: [401, 'invalid_interaction', 'interaction is not active'],
  already_finished: [401, 'invalid_interaction', 'the interaction was already finished'],
} as const satisfies Record<FinishInteractionError, Refusal>

const invalidSession: Refusal = [401, 'invalid_request', 'invalid session']

// Nothing here may be cached: each answer carries a one-time redirect or a cookie.
const noStore = (c: Context) => c.header('cache-control', 'no-store')

/** Routes for the AUTH_PORT app: GET /interact/:id/:nonce and GET /interact/:id/:nonce/finish. */
export function makeInteractionRoutes(deps: InteractionRoutesDeps): Hono {
  const app = new Hono()

  app.get('/interact/:id/:nonce', async (c) => {
    noStore(c)
    const { id, nonce } = c.req.param()
    const started = await deps.startInteraction(id, nonce)
    if (!started.ok) return refuse(c, startRefusals[started.error])
    const remainingMs = interactionExpiresAtMs(started.value.interaction) - deps.clock.now()
    setInteractionCookie(c, deps, { id, nonce }, remainingMs / 1000)
    return c.redirect(started.value.redirectUrl, 302)
  })

  app.get('/interact/:id/:nonce/finish', async (c) => {
    noStore(c)
    const { id, nonce } = c.req.param()
    if (!hasInteractionCookie(c, deps, id, nonce)) return refuse(c, invalidSession)
    const finished = await deps.finishInteraction(id, nonce)
    if (!finished.ok) return refuse(c, finishRefusals[finished.error])
    clearInteractionCookie(c, deps, id, nonce)
    const outcome = finished.value
    if (outcome.kind === 'redirect') return c.redirect(outcome.url, 302)
    // Rafiki answers 202 here; the client learns the outcome by continuing the grant.
    const said = outcome.decision === 'APPROVED' ? 'accepted' : 'rejected'
    return c.text(`You ${said} the request. You may close this window.`, 202)
  })

  return app
}
