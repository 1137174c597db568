// Token introspection for resource servers (INTROSPECTION_PORT, Rafiki's token-introspection
// API): POST / {access_token, access?} -> {active: false} or {active: true, grant, client,
// access}. Not signed (Rafiki neither): the port belongs on the internal network only.
import { Hono } from 'hono'
import * as v from 'valibot'
import type { IntrospectToken } from '../../../application/auth/introspect-token.ts'
import type { Logger } from '../../../application/ports/logger.ts'
import type { GrantClient } from '../../../domain/auth/grant.ts'
import { accessActions, accessTypes } from '../../../domain/open-payments/access.ts'
import { jwkThumbprintUrn } from '../../auth/in-process-token-introspection.ts'
import { healthz } from '../json-fallbacks.ts'
import { describeIssues } from '../open-payments/op-http.ts'
import {
  accessItemJson,
  gnapError,
  readJsonBody,
  badRequest,
  withGnapFallbacks,
} from './gnap-wire.ts'

export type IntrospectionAppDeps = {
  readonly logger: Logger
  readonly introspectToken: IntrospectToken
}

// The resource server asks about the one action of its request; the spec allows 3 items.
const requestedItemsMax = 3
const tokenLengthMax = 4096

const bodySchema = v.object({
  access_token: v.pipe(v.string(), v.nonEmpty(), v.maxLength(tokenLengthMax)),
  access: v.optional(
    v.pipe(
      v.array(
        v.object({
          type: v.picklist(accessTypes),
          actions: v.pipe(v.array(v.picklist(accessActions)), v.maxLength(accessActions.length)),
          identifier: v.optional(v.pipe(v.string(), v.maxLength(tokenLengthMax))),
        }),
      ),
      v.maxLength(requestedItemsMax),
    ),
  ),
})

/**
 * `client` is the wallet address URL (Rafiki v1). A directed-identity client has none: it is
 * named by its key's RFC 9278 thumbprint URN, and the key itself is sent as `jwk`, so that a
 * resource server can verify its signatures (the in-process introspection does the same).
 */
function clientJson(client: GrantClient) {
  if ('walletAddress' in client) return { client: client.walletAddress }
  return { client: jwkThumbprintUrn(client.jwk), jwk: client.jwk }
}

export function makeIntrospectionApp(deps: IntrospectionAppDeps): Hono {
  const app = healthz(new Hono()).post('/', async (c) => {
    const body = await readJsonBody(c)
    if ('refusal' in body) return gnapError(c, body.refusal)
    const { json } = body
    const parsed = v.safeParse(bodySchema, json)
    if (!parsed.success) return gnapError(c, badRequest(describeIssues(parsed.issues)))
    const { access_token, access } = parsed.output
    const info = await deps.introspectToken({
      accessToken: access_token,
      ...(access !== undefined && {
        access: access.map(({ identifier, ...item }) =>
          identifier === undefined ? item : { ...item, identifier },
        ),
      }),
    })
    if (!info.active) return c.json({ active: false }, 200)
    return c.json(
      {
        active: true,
        grant: info.grant,
        ...clientJson(info.client),
        access: info.access.map(accessItemJson),
      },
      200,
    )
  })
  return withGnapFallbacks(app, deps.logger)
}
