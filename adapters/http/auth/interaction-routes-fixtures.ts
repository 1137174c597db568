// The interaction HTTP apps wired on the memory repository, for their tests: the AUTH_PORT routes
// and the INTERACTION_PORT app with the consent page.
import { makeChooseInteraction } from '../../../application/auth/interaction-decide.ts'
import { makeGetInteractionDetails } from '../../../application/auth/interaction-details.ts'
import { storePendingGrant } from '../../../application/auth/interaction-fixtures.ts'
import { makeFinishInteraction } from '../../../application/auth/interaction-finish.ts'
import { makeStartInteraction } from '../../../application/auth/interaction-start.ts'
import { gnapFinishHash } from '../../auth/gnap-finish-hash.ts'
import { makeFakeClock } from '../../memory/fake-clock.ts'
import { makeMemoryAuthGrantRepository } from '../../memory/memory-auth-grant-repository.ts'
import { makeIdpApp } from './idp-app.ts'
import { makeInteractionRoutes } from './interaction-routes.ts'
import type { CookieSameSite } from './session-cookie.ts'

export const testAuthServerUrl = 'https://auth.example'
export const testIdentityServerUrl = 'http://localhost:3009/consent'
export const testIdpSecret = 'idp-secret-0123456789'
export const testCookieKey = 'cookie-key-0123456789abcdef'

const silent = { debug() {}, info() {}, warn() {}, error() {} }

export async function setupInteractionApps(
  options: {
    readonly clientName?: string
    readonly requireSecret?: string
    readonly sameSite?: CookieSameSite
  } = {},
) {
  const clock = makeFakeClock()
  const grants = makeMemoryAuthGrantRepository()
  const clientNames = { publicName: async () => options.clientName }
  const deps = {
    grants,
    clock,
    clientNames,
    identityServerUrl: testIdentityServerUrl,
    authServerUrl: testAuthServerUrl,
  }
  const getInteractionDetails = makeGetInteractionDetails(deps)
  const chooseInteraction = makeChooseInteraction(deps)
  const authApp = makeInteractionRoutes({
    startInteraction: makeStartInteraction(deps),
    finishInteraction: makeFinishInteraction({ ...deps, finishHash: gnapFinishHash }),
    clock,
    cookieKey: testCookieKey,
    authServerUrl: testAuthServerUrl,
    ...(options.sameSite ? { sameSite: options.sameSite } : {}),
  })
  const idpApp = makeIdpApp({
    logger: silent,
    identityServerSecret: testIdpSecret,
    getInteractionDetails,
    chooseInteraction,
    consentPage: {
      enabled: true,
      authServerUrl: testAuthServerUrl,
      csrfKey: testCookieKey,
      ...(options.requireSecret ? { requireSecret: options.requireSecret } : {}),
    },
  })
  const pending = await storePendingGrant(grants, new Date(clock.now()))
  return { clock, grants, authApp, idpApp, ...pending }
}

/** The `name=value` part of the response's Set-Cookie, to send back as a Cookie header. */
export function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie')
  if (!header) throw new Error('no set-cookie')
  return header.split(';')[0]!
}
