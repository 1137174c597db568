// A GNAP grant request (POST /, Rafiki auth grant/routes.ts createGrant), the non-interactive
// path: checked access items are issued at once with a token. A request that needs the user is
// handed back as interaction_required for the interactive path.
import type { AccessToken } from '../../domain/auth/access-token.ts'
import {
  finalizeGrant,
  type Grant,
  type GrantClient,
  type GrantInteract,
} from '../../domain/auth/grant.ts'
import {
  needsInteraction,
  validateAccessItems,
  type AccessItemError,
  type InteractionPolicy,
} from '../../domain/auth/grant-request.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { assert } from '../../domain/shared/assert.ts'
import { ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { AuthSecrets } from '../ports/auth-secrets.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import { accessTokenResponse, continueUri, type AccessTokenResponse } from './token-response.ts'

export type GrantRequest = {
  /** `access_token.access`, parsed to its types at the HTTP edge. */
  readonly access: readonly AccessItem[]
  /** Already authenticated by the request's HTTP message signature. */
  readonly client: GrantClient
  readonly interact?: GrantInteract
}

export type ContinueResponse = {
  readonly access_token: { readonly value: string }
  readonly uri: string
}

/** The GNAP response to a grant issued without interaction. */
export type IssuedGrantResponse = {
  readonly access_token: AccessTokenResponse
  readonly continue: ContinueResponse
}

export type RequestGrantOutcome =
  | { readonly kind: 'issued'; readonly grant: Grant; readonly response: IssuedGrantResponse }
  /** Nothing was stored: the interactive path takes the request from here. */
  | { readonly kind: 'interaction_required'; readonly request: GrantRequest }

export type RequestGrantError = AccessItemError

/** Every refusal of a grant request is a GNAP invalid_request; the error says which rule. */
export const requestGrantErrorCode = {
  no_access: 'invalid_request',
  too_many_access_items: 'invalid_request',
  unknown_action: 'invalid_request',
  duplicate_action: 'invalid_request',
  identifier_required: 'invalid_request',
  limits_not_allowed: 'invalid_request',
  both_amount_limits: 'invalid_request',
  invalid_limit_amount: 'invalid_request',
  invalid_interval: 'invalid_request',
} as const satisfies Record<RequestGrantError, 'invalid_request'>

export type RequestGrantConfig = InteractionPolicy & {
  /** AUTH_SERVER_URL: the base of the continue and manage URIs. */
  readonly authServerUrl: string
  /** ACCESS_TOKEN_EXPIRY_SECONDS. */
  readonly accessTokenExpirySeconds: number
  /** WAIT_SECONDS. */
  readonly waitSeconds: number
}

export type RequestGrant = (
  request: GrantRequest,
) => Promise<Result<RequestGrantOutcome, RequestGrantError>>

type Deps = {
  readonly grants: AuthGrantRepository
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly secrets: AuthSecrets
  readonly config: RequestGrantConfig
}

export const makeRequestGrant =
  (deps: Deps): RequestGrant =>
  async (request) => {
    const valid = validateAccessItems(request.access)
    if (!valid.ok) return valid
    if (needsInteraction(valid.value, deps.config)) {
      return ok({ kind: 'interaction_required', request })
    }
    const { grant, token } = newIssuedGrant(deps, request)
    await deps.grants.create({ grant, access: valid.value, token })
    const { authServerUrl } = deps.config
    return ok({
      kind: 'issued',
      grant,
      response: {
        access_token: accessTokenResponse(authServerUrl, token, valid.value),
        continue: {
          access_token: { value: grant.continueToken },
          uri: continueUri(authServerUrl, grant.continueId),
        },
      },
    })
  }

function newIssuedGrant(deps: Deps, request: GrantRequest) {
  const at = new Date(deps.clock.now())
  const approved: Grant = {
    id: deps.ids.uuid(),
    state: 'APPROVED',
    client: request.client,
    continueId: deps.ids.uuid(),
    continueToken: deps.secrets.secret(),
    ...(request.interact !== undefined && { interact: request.interact }),
    waitSeconds: deps.config.waitSeconds,
    lastContinuedAt: at,
    createdAt: at,
    updatedAt: at,
  }
  // Issued in the same write as its token: APPROVED -> FINALIZED (ISSUED) without a window.
  const change = finalizeGrant(approved)
  assert(change.ok, 'a new approved grant can be finalized')
  const grant: Grant = { ...approved, ...change.value }
  const token: AccessToken = {
    id: deps.ids.uuid(),
    grantId: grant.id,
    value: deps.secrets.secret(),
    managementId: deps.ids.uuid(),
    expiresInSeconds: deps.config.accessTokenExpirySeconds,
    createdAt: at,
  }
  return { grant, token }
}
