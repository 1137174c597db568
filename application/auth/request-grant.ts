// A GNAP grant request (POST /, Rafiki auth grant/routes.ts createGrant). Checked access items
// that need no user are issued at once with a token; the others become a PENDING grant with an
// interaction, answered with the interact redirect and the continue URI.
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
import type { Interaction } from '../../domain/auth/interaction.ts'
import type { AccessItem } from '../../domain/open-payments/access.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { AuthGrantRepository } from '../ports/auth-grant-repository.ts'
import type { AuthSecrets } from '../ports/auth-secrets.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import {
  accessTokenResponse,
  continueResponse,
  interactUri,
  newAccessToken,
  type AccessTokenResponse,
  type ContinueResponse,
} from './token-response.ts'

export type { ContinueResponse } from './token-response.ts'

export type GrantRequest = {
  /** `access_token.access`, parsed to its types at the HTTP edge. */
  readonly access: readonly AccessItem[]
  /** Already authenticated by the request's HTTP message signature. */
  readonly client: GrantClient
  readonly interact?: GrantInteract
}

/** The GNAP response to a grant issued without interaction. */
export type IssuedGrantResponse = {
  readonly access_token: AccessTokenResponse
  readonly continue: ContinueResponse
}

/** The GNAP response to a grant that waits for the user (auth-server OpenAPI interact-response). */
export type PendingGrantResponse = {
  readonly interact: {
    /** Where the client sends the user: GET /interact/{id}/{nonce} on this server. */
    readonly redirect: string
    /** Our nonce, the second line of the finish hash (always sent, as Rafiki; the spec requires it). */
    readonly finish: string
  }
  readonly continue: ContinueResponse & { readonly wait: number }
}

export type RequestGrantOutcome =
  | { readonly kind: 'issued'; readonly grant: Grant; readonly response: IssuedGrantResponse }
  | {
      readonly kind: 'pending'
      readonly grant: Grant
      readonly interaction: Interaction
      readonly response: PendingGrantResponse
    }

export type RequestGrantError =
  | AccessItemError
  /** The grant needs the user but the request has no `interact.start` with "redirect". */
  | 'interact_required'
  /** A directed-identity (bare key) client asked for access that needs the user (spec: not allowed). */
  | 'wallet_address_client_required'

/** GNAP error codes: the rules of the request are invalid_request, an unfit client invalid_client. */
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
  interact_required: 'invalid_request',
  wallet_address_client_required: 'invalid_client',
} as const satisfies Record<RequestGrantError, 'invalid_request' | 'invalid_client'>

export type RequestGrantConfig = InteractionPolicy & {
  /** AUTH_SERVER_URL: the base of the continue, manage and interact URIs. */
  readonly authServerUrl: string
  /** ACCESS_TOKEN_EXPIRY_SECONDS. */
  readonly accessTokenExpirySeconds: number
  /** WAIT_SECONDS. */
  readonly waitSeconds: number
  /** INTERACTION_EXPIRY_SECONDS; Rafiki's default (600) when not given. */
  readonly interactionExpirySeconds?: number
}

const interactionExpirySecondsDefault = 600

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
      return requestPending(deps, { ...request, access: valid.value })
    }
    const { grant, token } = newIssuedGrant(deps, request)
    await deps.grants.create({ grant, access: valid.value, token })
    const { authServerUrl } = deps.config
    return ok({
      kind: 'issued',
      grant,
      response: {
        access_token: accessTokenResponse(authServerUrl, token, valid.value),
        continue: continueResponse(authServerUrl, grant),
      },
    })
  }

async function requestPending(
  deps: Deps,
  request: GrantRequest,
): Promise<Result<RequestGrantOutcome, RequestGrantError>> {
  const { interact } = request
  if (interact === undefined || !interact.start.includes('redirect')) {
    return err('interact_required')
  }
  // The user is shown who asks: a bare key has no wallet address to describe it.
  if (!('walletAddress' in request.client)) return err('wallet_address_client_required')
  const at = new Date(deps.clock.now())
  const grant = newGrant(deps, request, 'PENDING', at)
  const interaction: Interaction = {
    id: deps.ids.uuid(),
    grantId: grant.id,
    nonce: deps.secrets.secret(),
    ref: deps.secrets.secret(),
    state: 'PENDING',
    expiresInSeconds: deps.config.interactionExpirySeconds ?? interactionExpirySecondsDefault,
    createdAt: at,
  }
  await deps.grants.create({ grant, access: request.access, interaction })
  const { authServerUrl, waitSeconds } = deps.config
  return ok({
    kind: 'pending',
    grant,
    interaction,
    response: {
      interact: {
        redirect: interactUri(authServerUrl, interaction.id, interaction.nonce),
        finish: interaction.nonce,
      },
      continue: { ...continueResponse(authServerUrl, grant), wait: waitSeconds },
    },
  })
}

function newGrant(deps: Deps, request: GrantRequest, state: 'PENDING' | 'APPROVED', at: Date) {
  return {
    id: deps.ids.uuid(),
    state,
    client: request.client,
    continueId: deps.ids.uuid(),
    continueToken: deps.secrets.secret(),
    ...(request.interact !== undefined && { interact: request.interact }),
    waitSeconds: deps.config.waitSeconds,
    lastContinuedAt: at,
    createdAt: at,
    updatedAt: at,
  } as const satisfies Grant
}

function newIssuedGrant(deps: Deps, request: GrantRequest) {
  const at = new Date(deps.clock.now())
  const approved: Grant = newGrant(deps, request, 'APPROVED', at)
  // Issued in the same write as its token: APPROVED -> FINALIZED (ISSUED) without a window.
  const change = finalizeGrant(approved)
  assert(change.ok, 'a new approved grant can be finalized')
  const grant: Grant = { ...approved, ...change.value }
  return { grant, token: newAccessToken(deps, grant.id, at) }
}
