// The identity provider's back channel on INTERACTION_PORT (Rafiki auth app.ts interaction
// routes): the IdP reads what a grant asks for and relays the user's answer, each call carrying
// `x-idp-secret: IDENTITY_SERVER_SECRET`. The built-in consent page is mounted here too.
import { Hono, type Context } from 'hono'
import type {
  ChooseInteraction,
  ChooseInteractionError,
  InteractionChoice,
} from '../../../application/auth/interaction-decide.ts'
import type {
  GetInteractionDetails,
  GetInteractionDetailsError,
  InteractionDetails,
} from '../../../application/auth/interaction-details.ts'
import { secretsEqual } from '../../../application/auth/token-response.ts'
import type { Logger } from '../../../application/ports/logger.ts'
import { healthz, withJsonFallbacks } from '../json-fallbacks.ts'
import { makeConsentPage, type ConsentPageOptions } from './consent-page.ts'
import { accessItemJson, refuse, type Refusal } from './gnap-wire.ts'

export type IdpAppDeps = {
  readonly logger: Logger
  /** IDENTITY_SERVER_SECRET. */
  readonly identityServerSecret: string
  readonly getInteractionDetails: GetInteractionDetails
  readonly chooseInteraction: ChooseInteraction
  /** The built-in consent page at /consent; absent or not enabled: not mounted. */
  readonly consentPage?: ConsentPageOptions
}

const detailsRefusals = {
  unknown_interaction: [404, 'unknown_interaction', 'unknown interaction'],
  expired: [400, 'invalid_interaction', 'the interaction has expired'],
} as const satisfies Record<GetInteractionDetailsError, Refusal>

// As Rafiki's handleInteractionChoice.
const choiceRefusals = {
  unknown_interaction: [404, 'unknown_interaction', 'unknown interaction'],
  user_denied: [401, 'user_denied', 'user denied interaction'],
  already_decided: [400, 'invalid_interaction', 'invalid interaction'],
  expired: [400, 'invalid_interaction', 'invalid interaction'],
} as const satisfies Record<ChooseInteractionError, Refusal>

/** Rafiki's body ({access, state}) plus who asks and until when it may be answered. */
const detailsBody = (details: InteractionDetails) => ({
  access: details.access.map(accessItemJson),
  state: details.state,
  client: details.client,
  expiresAt: details.expiresAt.toISOString(),
})

export function makeIdpApp(deps: IdpAppDeps): Hono {
  const app = withJsonFallbacks(healthz(new Hono()), deps.logger)
  const secretOk = (c: Context) =>
    secretsEqual(c.req.header('x-idp-secret') ?? '', deps.identityServerSecret)

  app.get('/grant/:id/:nonce', async (c) => {
    if (!secretOk(c)) return refuse(c, [401, 'invalid_request', 'invalid x-idp-secret'])
    const found = await deps.getInteractionDetails(c.req.param('id'), c.req.param('nonce'))
    if (!found.ok) return refuse(c, detailsRefusals[found.error])
    c.header('cache-control', 'no-store')
    return c.json(detailsBody(found.value))
  })

  app.post('/grant/:id/:nonce/:choice{accept|reject}', async (c) => {
    if (!secretOk(c)) return refuse(c, [401, 'invalid_interaction', 'invalid x-idp-secret'])
    const { id, nonce } = c.req.param()
    const choice: InteractionChoice = c.req.param('choice') === 'accept' ? 'accept' : 'reject'
    const chosen = await deps.chooseInteraction(id, nonce, choice)
    if (!chosen.ok) return refuse(c, choiceRefusals[chosen.error])
    return c.body(null, 202)
  })

  if (deps.consentPage?.enabled) {
    const page = makeConsentPage({
      ...deps.consentPage,
      getInteractionDetails: deps.getInteractionDetails,
      chooseInteraction: deps.chooseInteraction,
    })
    app.route('/consent', page)
  }
  return app
}
