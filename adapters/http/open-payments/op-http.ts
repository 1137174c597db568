// What every authenticated Open Payments route shares: the error body, the GNAP refusals, the
// request as its signature covers it, and valibot request validation with a readable message.
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import type {
  AuthorizeRequest,
  AuthorizeRequestError,
  AuthorizedRequest,
} from '../../../application/open-payments/authorize-request.ts'
import type { ActiveWalletAddress } from '../../../application/wallet-addresses/get-active-wallet-address.ts'
import type { GetWalletAddressUrl } from '../../../application/wallet-addresses/get-wallet-address-url.ts'
import type { RequiredAccess } from '../../../domain/open-payments/access.ts'
import type { Amount } from '../../../domain/incoming-payments/incoming-payment.ts'
import { isUInt64 } from '../../../domain/shared/uint64.ts'
import { firstValue, type PublicUrlOptions } from './wallet-address-routes.ts'

export type OpErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'auth_server_unreachable'
  // Quote errors carry Rafiki's QuoteErrorCode, so a client can tell them apart.
  | 'inactive_wallet_address'
  | 'invalid_amount'
  | 'invalid_receiver'
  | 'non_positive_receive_amount'
  | 'rates_unavailable'
  | 'ilp_quoting_unavailable'
  // Outgoing payment errors: Rafiki's OutgoingPaymentError in snake case.
  | 'invalid_quote'
  | 'insufficient_grant'

export type OpErrorReply = {
  readonly status: ContentfulStatusCode
  readonly code: OpErrorCode
  readonly description: string
  /** The spec's optional `error.details` (e.g. a quote's minSendAmount). */
  readonly details?: Readonly<Record<string, unknown>>
}

/** The Open Payments `error-response` body. */
export const opError = (c: Context, reply: OpErrorReply) => {
  const { code, description, details } = reply
  return c.json({ error: { code, description, ...(details && { details }) } }, reply.status)
}

export const invalidRequest = (description: string): OpErrorReply => ({
  status: 400,
  code: 'invalid_request',
  description,
})

export const notFound = (description: string): OpErrorReply => ({
  status: 404,
  code: 'not_found',
  description,
})

const authRefusals = {
  unauthorized: {
    status: 401,
    code: 'unauthorized',
    description: 'Missing, inactive or unverifiable GNAP access token, or a bad request signature',
  },
  forbidden: {
    status: 403,
    code: 'forbidden',
    description: 'The access token does not grant this action on this wallet address',
  },
  unreachable: {
    status: 503,
    code: 'auth_server_unreachable',
    description: 'The authorization server could not be asked about the access token',
  },
} as const satisfies Record<AuthorizeRequestError, OpErrorReply>

export type OpAuthDeps = PublicUrlOptions & {
  readonly authorize: AuthorizeRequest
  /** AUTH_SERVER_GRANT_URL: where a refused client gets a grant (`WWW-Authenticate`). */
  readonly authServerUrl: string
}

/** What every authorized resource route (incoming payments, quotes, outgoing payments) needs. */
export type OpResourceDeps = OpAuthDeps & {
  /** The ACTIVE wallet address at a URL, polling for it (wallet_address.not_found) if missing. */
  readonly findWalletAddress: (url: string) => Promise<ActiveWalletAddress | undefined>
  readonly getWalletAddressUrl: GetWalletAddressUrl
  /** OPEN_PAYMENTS_URL: resource ids are `{it}/{collection}/{id}`, where the routes answer. */
  readonly resourceServerUrl: string
}

/**
 * Authorizes the request for `access`, or answers the refusal: 401 and 403 carry
 * `WWW-Authenticate: GNAP as_uri=<grant URL>` as Rafiki's do.
 */
export async function authorizeOrRefuse(
  c: Context,
  deps: OpAuthDeps,
  access: RequiredAccess,
  body: string | undefined,
): Promise<AuthorizedRequest | Response> {
  const request = {
    method: c.req.method,
    url: targetUri(c.req.raw, deps),
    headers: c.req.raw.headers,
    body,
  }
  const result = await deps.authorize({ request, access })
  if (result.ok) return result.value
  if (result.error !== 'unreachable') {
    c.header('WWW-Authenticate', `GNAP as_uri=${deps.authServerUrl}`)
  }
  return opError(c, authRefusals[result.error])
}

/**
 * `@target-uri` as the client addressed it. As for wallet address URLs (publicWalletAddressUrls)
 * the host is Host, or X-Forwarded-Host with TRUST_PROXY, and the scheme https unless plain http
 * is allowed.
 */
export function targetUri(request: Request, options: PublicUrlOptions): string {
  const url = new URL(request.url)
  const { headers } = request
  const forwardedHost = options.trustProxy ? firstValue(headers.get('x-forwarded-host')) : undefined
  const host = forwardedHost ?? firstValue(headers.get('host')) ?? url.host
  const forwardedProto = options.trustProxy
    ? firstValue(headers.get('x-forwarded-proto'))
    : undefined
  const scheme = options.allowHttp ? (forwardedProto ?? url.protocol.replace(/:$/, '')) : 'https'
  return `${scheme}://${host}${url.pathname}${url.search}`
}

/** `path: message` for the first problem valibot found: enough to fix the request. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const [issue] = issues
  if (!issue) return 'Invalid request'
  const path = v.getDotPath(issue)
  return path ? `${path}: ${issue.message}` : issue.message
}

/** The raw body and its JSON, or a 400 reply for a body that is not a JSON object. */
export async function readJsonBody(
  c: Context,
): Promise<{ readonly text: string; readonly json: unknown } | OpErrorReply> {
  const text = await c.req.text()
  try {
    return { text, json: JSON.parse(text) as unknown }
  } catch {
    return invalidRequest('The body must be JSON')
  }
}

export const isReply = (value: unknown): value is OpErrorReply =>
  typeof value === 'object' && value !== null && 'status' in value && 'code' in value

// RFC 3339 date-time, as the OpenAPI `format: date-time`.
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

export const dateTimeSchema = v.pipe(
  v.string(),
  v.regex(dateTime, 'must be an RFC 3339 date-time'),
  v.transform((text: string) => new Date(text)),
  v.check((date: Date) => !Number.isNaN(date.getTime()), 'must be a real date'),
)

/** The Open Payments `amount`: value an unsigned 64-bit integer written as a string. */
export const amountSchema = v.strictObject({
  value: v.pipe(
    v.string('must be a string'),
    v.regex(/^\d{1,20}$/, 'must be an unsigned integer written as a string'),
    v.transform((value: string) => BigInt(value)),
    v.check(isUInt64, 'must fit in 64 bits'),
  ),
  assetCode: v.pipe(v.string(), v.nonEmpty('must not be empty')),
  assetScale: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255)),
})

export const amountJson = (amount: Amount) => ({
  value: amount.value.toString(),
  assetCode: amount.assetCode,
  assetScale: amount.assetScale,
})

/** Wallet address and resource URLs: absolute http(s). */
export const httpUrlSchema = v.pipe(
  v.string(),
  v.url('must be a URL'),
  v.regex(/^https?:\/\//i, 'must be an http(s) URL'),
)
