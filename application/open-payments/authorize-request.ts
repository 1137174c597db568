import {
  findAccess,
  type AccessLimits,
  type RequiredAccess,
} from '../../domain/open-payments/access.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import type { ClientKeys } from '../ports/client-keys.ts'
import type { Clock } from '../ports/clock.ts'
import type {
  RequestSignatureVerifier,
  SignedRequest,
} from '../ports/request-signature-verifier.ts'
import type { TokenIntrospection } from '../ports/token-introspection.ts'

export type AuthorizeRequestInput = {
  readonly request: SignedRequest
  /** What the route does: resource type, action, and the wallet address URL it acts on. */
  readonly access: RequiredAccess
}

export type AuthorizedRequest = {
  /** Wallet address URL of the client the grant was issued to. */
  readonly clientId: string
  readonly grantId: string
  /** The grant says `read`/`list`, not `read-all`/`list-all`: show only the client's own. */
  readonly restrictedToClient: boolean
  /** Outgoing-payment limits of the access item that allows the request. */
  readonly limits?: AccessLimits
}

export type AuthorizeRequestError =
  /** 401: no or malformed `Authorization: GNAP <token>`, inactive token, or a bad signature. */
  | 'unauthorized'
  /** 403: an active, correctly signed token whose grant does not cover the request. */
  | 'forbidden'
  /** The auth server cannot be asked (down, slow, or answering nonsense). */
  | 'unreachable'

export type AuthorizeRequest = (
  input: AuthorizeRequestInput,
) => Promise<Result<AuthorizedRequest, AuthorizeRequestError>>

export type AuthorizeRequestDeps = {
  readonly introspection: TokenIntrospection
  readonly clientKeys: ClientKeys
  readonly signatures: RequestSignatureVerifier
  readonly clock: Clock
  /** Oldest acceptable signature; absent: any age, as Rafiki. */
  readonly signatureMaxAgeSeconds?: number
}

// `GNAP <token>`, the token visible ASCII. Rafiki's tokens are 40 characters; the bound of 4096
// only keeps junk away from the auth server.
const gnapAuthorization = /^GNAP ([\x21-\x7e]{1,4096})$/

/**
 * Authorizes an Open Payments resource request as Rafiki's resource server does: introspect the
 * GNAP token, check the request's signature against the keys of the token's client, then check
 * the grant's access. The signature is checked before the access, so that a token without its
 * client's key reveals nothing about what it grants.
 */
export const makeAuthorizeRequest =
  (deps: AuthorizeRequestDeps): AuthorizeRequest =>
  async ({ request, access }) => {
    const accessToken = gnapToken(request.headers.get('authorization'))
    if (accessToken === undefined) return err('unauthorized')
    // Unsigned requests can never pass, so they do not cost an introspection.
    if (request.headers.get('signature') === null) return err('unauthorized')
    if (request.headers.get('signature-input') === null) return err('unauthorized')
    const info = await deps.introspection.introspect({
      accessToken,
      access: [
        {
          type: access.type,
          actions: [access.action],
          ...(access.identifier !== undefined && { identifier: access.identifier }),
        },
      ],
    })
    if (!info.ok) return err('unreachable')
    if (!info.value.active) return err('unauthorized')
    const { client, grant, clientKey } = info.value
    const signed =
      clientKey === undefined
        ? await signedByClient(deps, request, client)
        : deps.signatures.verify(request, [clientKey], verifyOptions(deps)).ok
    if (!signed) return err('unauthorized')
    const match = findAccess(info.value.access, access)
    if (match === undefined) return err('forbidden')
    const authorized = {
      clientId: client,
      grantId: grant,
      restrictedToClient: match.restrictedToClient,
    }
    const { limits } = match.item
    return ok(limits === undefined ? authorized : { ...authorized, limits })
  }

function gnapToken(authorization: string | null): string | undefined {
  return authorization === null ? undefined : gnapAuthorization.exec(authorization)?.[1]
}

/**
 * True when the request is signed by one of the client's keys. A key the cached set does not
 * have may have just been added by the client, so the set is looked up again once.
 */
async function signedByClient(
  deps: AuthorizeRequestDeps,
  request: SignedRequest,
  client: string,
): Promise<boolean> {
  const options = verifyOptions(deps)
  const keys = await deps.clientKeys.getKeys(client)
  if (!keys.ok) return false
  const verified = deps.signatures.verify(request, keys.value, options)
  if (verified.ok || verified.error !== 'unknown_key') return verified.ok
  const refreshed = await deps.clientKeys.getKeys(client, { refresh: true })
  return refreshed.ok && deps.signatures.verify(request, refreshed.value, options).ok
}

const verifyOptions = (deps: AuthorizeRequestDeps) => ({
  nowMs: deps.clock.now(),
  ...(deps.signatureMaxAgeSeconds === undefined
    ? {}
    : { maxAgeSeconds: deps.signatureMaxAgeSeconds }),
})
