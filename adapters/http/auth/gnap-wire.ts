// The GNAP wire format of the authorization server (auth-server OpenAPI in
// @interledger/open-payments): request bodies parsed with valibot into domain types, access items
// written back with their amounts as strings, and the {error: {code, description}} body.
import type { Context, Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import type { GrantRequest } from '../../../application/auth/request-grant.ts'
import type { AccessTokenResponse } from '../../../application/auth/token-response.ts'
import type { GrantClient, GrantInteract } from '../../../domain/auth/grant.ts'
import {
  accessActions,
  type AccessItem,
  type AccessLimits,
  type LimitAmount,
} from '../../../domain/open-payments/access.ts'
import type { Logger } from '../../../application/ports/logger.ts'
import type { SignedRequest } from '../../../application/ports/request-signature-verifier.ts'
import { amountSchema, describeIssues, httpUrlSchema, targetUri } from '../open-payments/op-http.ts'
import type { PublicUrlOptions } from '../open-payments/wallet-address-routes.ts'
import { ed25519JwkSchema } from '../../auth/jwk-schema.ts'
import type { ClientAuthError } from './gnap-signature.ts'

export type GnapErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_continuation'
  | 'invalid_rotation'
  | 'too_fast'
  | 'user_denied'
  | 'request_denied'
  | 'invalid_interaction'
  | 'unknown_interaction'

export type GnapErrorReply = {
  readonly status: ContentfulStatusCode
  readonly code: GnapErrorCode
  readonly description: string
}

export const gnapError = (c: Context, reply: GnapErrorReply) =>
  c.json({ error: { code: reply.code, description: reply.description } }, reply.status)

/** A refusal in a route's table of use-case errors: status, GNAP code, description. */
export type Refusal = readonly [
  status: ContentfulStatusCode,
  code: GnapErrorCode,
  description: string,
]

export const refuse = (c: Context, [status, code, description]: Refusal) =>
  gnapError(c, { status, code, description })

/** A grant request is a few hundred bytes; this only bounds the work on junk. */
export const requestBytesMax = 64 * 1024
// The spec's `access` maxItems.
const accessItemsMax = 3
const stringLengthMax = 2048

const boundedString = v.pipe(v.string(), v.nonEmpty(), v.maxLength(stringLengthMax))
const urlSchema = v.pipe(httpUrlSchema, v.maxLength(stringLengthMax))

const limitsSchema = v.object({
  receiver: v.optional(
    v.pipe(urlSchema, v.regex(/^https?:\/\/.+\/incoming-payments\/.+$/i, 'an incoming payment')),
  ),
  debitAmount: v.optional(amountSchema),
  receiveAmount: v.optional(amountSchema),
  interval: v.optional(boundedString),
})

// The types' own action lists are checked by the domain (validateAccessItems), which names the
// rule that failed; here only the shape.
const accessItemSchema = v.strictObject({
  type: v.picklist(['incoming-payment', 'outgoing-payment', 'quote']),
  actions: v.pipe(v.array(v.picklist(accessActions)), v.maxLength(accessActions.length)),
  identifier: v.optional(urlSchema),
  limits: v.optional(limitsSchema),
})

const clientSchema = v.union([
  urlSchema,
  v.strictObject({ walletAddress: urlSchema }),
  v.strictObject({ jwk: ed25519JwkSchema }),
])

const interactSchema = v.object({
  start: v.pipe(v.array(v.literal('redirect')), v.maxLength(1)),
  finish: v.optional(
    v.object({ method: v.literal('redirect'), uri: urlSchema, nonce: boundedString }),
  ),
})

const grantRequestSchema = v.object({
  access_token: v.object({
    access: v.pipe(v.array(accessItemSchema), v.minLength(1), v.maxLength(accessItemsMax)),
  }),
  client: clientSchema,
  interact: v.optional(interactSchema),
})

const continueBodySchema = v.object({ interact_ref: v.optional(boundedString) })

/** POST / body -> a GrantRequest, or what is wrong with it. */
export function parseGrantRequest(json: unknown): GrantRequest | { readonly problem: string } {
  const parsed = v.safeParse(grantRequestSchema, json)
  if (!parsed.success) return { problem: describeIssues(parsed.issues) }
  const { access_token, client, interact } = parsed.output
  const request = { access: access_token.access.map(toAccessItem), client: toClient(client) }
  return interact === undefined ? request : { ...request, interact: toInteract(interact) }
}

/** POST /continue/{id} body: empty (polling) or {interact_ref}. */
export function parseContinueBody(
  text: string,
): { readonly interactRef?: string } | { readonly problem: string } {
  if (text.trim() === '') return {}
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { problem: 'The body must be JSON' }
  }
  const parsed = v.safeParse(continueBodySchema, json)
  if (!parsed.success) return { problem: describeIssues(parsed.issues) }
  const ref = parsed.output.interact_ref
  return ref === undefined ? {} : { interactRef: ref }
}

type WireItem = v.InferOutput<typeof accessItemSchema>

function toAccessItem(item: WireItem): AccessItem {
  const { limits, identifier } = item
  return {
    type: item.type,
    actions: item.actions,
    ...(identifier !== undefined && { identifier }),
    ...(limits !== undefined && { limits: toLimits(limits) }),
  }
}

function toLimits(limits: v.InferOutput<typeof limitsSchema>): AccessLimits {
  const { receiver, debitAmount, receiveAmount, interval } = limits
  return {
    ...(receiver !== undefined && { receiver }),
    ...(debitAmount !== undefined && { debitAmount }),
    ...(receiveAmount !== undefined && { receiveAmount }),
    ...(interval !== undefined && { interval }),
  }
}

function toClient(client: v.InferOutput<typeof clientSchema>): GrantClient {
  if (typeof client === 'string') return { walletAddress: client }
  if ('walletAddress' in client) return { walletAddress: client.walletAddress }
  return { jwk: client.jwk }
}

function toInteract(interact: v.InferOutput<typeof interactSchema>): GrantInteract {
  const { finish } = interact
  return { start: interact.start, ...(finish !== undefined && { finish }) }
}

const amountJson = (amount: LimitAmount) => ({
  value: amount.value.toString(),
  assetCode: amount.assetCode,
  assetScale: amount.assetScale,
})

/** The spec's access-item, amounts written as strings. */
export function accessItemJson(item: AccessItem) {
  const { limits } = item
  return {
    type: item.type,
    actions: item.actions,
    ...(item.identifier !== undefined && { identifier: item.identifier }),
    ...(limits !== undefined && {
      limits: {
        ...(limits.receiver !== undefined && { receiver: limits.receiver }),
        ...(limits.debitAmount !== undefined && { debitAmount: amountJson(limits.debitAmount) }),
        ...(limits.receiveAmount !== undefined && {
          receiveAmount: amountJson(limits.receiveAmount),
        }),
        ...(limits.interval !== undefined && { interval: limits.interval }),
      },
    }),
  }
}

export const accessTokenJson = (token: AccessTokenResponse) => ({
  ...token,
  access: token.access.map(accessItemJson),
})

/** The request as its signature covers it: `@target-uri` as the client addressed it. */
export const signedRequest = (
  c: Context,
  publicUrl: PublicUrlOptions,
  body: string | undefined,
): SignedRequest => ({
  method: c.req.method,
  url: targetUri(c.req.raw, publicUrl),
  headers: c.req.raw.headers,
  body,
})

/** The body text, or undefined when it is longer than requestBytesMax. */
export async function readBoundedText(c: Context): Promise<string | undefined> {
  const declared = Number(c.req.header('content-length') ?? '0')
  if (!(declared <= requestBytesMax)) return undefined
  const text = await c.req.text()
  return text.length > requestBytesMax ? undefined : text
}

export const badRequest = (description: string): GnapErrorReply => ({
  status: 400,
  code: 'invalid_request',
  description,
})

/**
 * The body as text (what the signature covers) and parsed as JSON, or the GNAP refusal of a body
 * too large or not JSON.
 */
export async function readJsonBody(
  c: Context,
): Promise<
  { readonly text: string; readonly json: unknown } | { readonly refusal: GnapErrorReply }
> {
  const text = await readBoundedText(c)
  if (text === undefined) return { refusal: tooLarge }
  try {
    return { text, json: JSON.parse(text) as unknown }
  } catch {
    return { refusal: badRequest('The body must be JSON') }
  }
}

export const tooLarge: GnapErrorReply = {
  status: 400,
  code: 'invalid_request',
  description: `The body must be at most ${requestBytesMax} bytes`,
}

/** Why a signature was refused, for the client that has to fix it. */
export const clientAuthDescription = {
  missing_signature:
    'The request must carry an HTTP message signature (Signature, Signature-Input)',
  malformed_signature: 'The request signature is malformed or does not cover enough components',
  unknown_key: "The signature's keyid is not one of the client's keys",
  bad_signature: 'The request signature does not verify',
  bad_digest: 'Content-Digest does not match the body',
  stale_signature: 'The request signature is too old or dated in the future',
  client_keys_unavailable: "The client's keys could not be fetched from its wallet address",
} as const satisfies Record<ClientAuthError, string>

export const invalidClient = (error: ClientAuthError): GnapErrorReply => ({
  status: 401,
  code: 'invalid_client',
  description: clientAuthDescription[error],
})

/**
 * Unknown paths and unexpected errors in the GNAP error shape: a 404 is invalid_request, and an
 * error nobody expected is logged and answered as Rafiki does (500 request_denied), never leaked.
 */
export function withGnapFallbacks(app: Hono, logger: Logger): Hono {
  app.notFound((c) =>
    gnapError(c, { status: 404, code: 'invalid_request', description: 'Not found' }),
  )
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      const status = error.status
      return gnapError(c, { status, code: 'invalid_request', description: error.message })
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error in GNAP handler')
    const description = 'internal server error'
    return gnapError(c, { status: 500, code: 'request_denied', description })
  })
  return app
}
