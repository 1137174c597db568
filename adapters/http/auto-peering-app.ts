import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import type {
  AcceptPeeringRequest,
  AcceptPeeringRequestError,
} from '../../application/peers/auto-peering/accept-peering-request.ts'
import type { Logger } from '../../application/ports/logger.ts'
import {
  incomingTokensMax,
  peerEndpointLengthMax,
  peerNameLengthMax,
  peerTokenLengthMax,
} from '../../domain/peers/peer.ts'
import {
  autoPeeringBodyBytesMax,
  peeringRequestSchema,
  toAcceptInput,
  type AutoPeeringErrorBody,
  type AutoPeeringErrorType,
} from '../ilp/auto-peering-wire.ts'
import { healthz, withJsonFallbacks } from './json-fallbacks.ts'

export type AutoPeeringAppDeps = {
  readonly logger: Logger
  readonly acceptPeeringRequest: AcceptPeeringRequest
}

type Refusal = readonly [status: ContentfulStatusCode, type: AutoPeeringErrorType, detail: string]

// Statuses and types as Rafiki's errorToHttpCode; the message adds what exactly was wrong.
const misconfigured = 'InvalidPeerIlpConfiguration'
const invalid = 'InvalidPeeringRequest'
const refusals = {
  unknown_asset: [404, 'UnknownAsset', 'no asset of that code and scale'],
  invalid_ilp_address: [400, misconfigured, 'staticIlpAddress is not a valid ILP address'],
  invalid_endpoint: [
    400,
    misconfigured,
    `ilpConnectorUrl must be an absolute http(s) URL of at most ${peerEndpointLengthMax} characters`,
  ],
  invalid_token: [
    400,
    invalid,
    `httpToken must be 1 to ${peerTokenLengthMax} visible ASCII characters`,
  ],
  too_many_tokens: [400, invalid, `at most ${incomingTokensMax} tokens`],
  duplicate_incoming_token: [400, invalid, 'httpToken is already used by another peer'],
  duplicate_peer: [400, invalid, 'a peer with this address and asset already exists'],
  unknown_peer: [400, invalid, 'the peer was deleted while being updated; try again'],
  invalid_name: [400, invalid, `name must be at most ${peerNameLengthMax} characters`],
  invalid_max_packet_amount: [400, invalid, 'maxPacketAmount must be from 0 to 2^64-1'],
  invalid_threshold: [400, invalid, 'invalid liquidity threshold'],
  invalid_initial_liquidity: [400, invalid, 'the new peer could not be credited'],
} as const satisfies Record<AcceptPeeringRequestError, Refusal>

const messages = {
  InvalidPeerIlpConfiguration: "Requested peer's ILP configuration is misconfigured",
  UnknownAsset: 'Unknown asset',
  InvalidPeeringRequest: 'Invalid peering request',
} as const satisfies Record<AutoPeeringErrorType, string>

const refuse = (c: Context, [status, type, detail]: Refusal) => {
  const body: AutoPeeringErrorBody = {
    error: { code: status, message: `${messages[type]}: ${detail}`, type },
  }
  return c.json(body, status)
}

/**
 * Rafiki's auto-peering server (AUTO_PEERING_SERVER_PORT, only with ENABLE_AUTO_PEERING): POST /
 * with a peering request creates or updates the requester as a peer and answers with our details.
 */
export function makeAutoPeeringApp(deps: AutoPeeringAppDeps): Hono {
  const app = healthz(new Hono())
  app.post('/', async (c) => {
    const declared = Number(c.req.header('content-length') ?? '0')
    if (declared > autoPeeringBodyBytesMax) return refuse(c, [413, invalid, 'body too large'])
    const bytes = await c.req.arrayBuffer()
    if (bytes.byteLength > autoPeeringBodyBytesMax) {
      return refuse(c, [413, invalid, 'body too large'])
    }
    const json = parseJson(new TextDecoder().decode(bytes))
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return refuse(c, [400, invalid, 'the body must be a JSON object'])
    }
    const parsed = v.safeParse(peeringRequestSchema, json)
    if (!parsed.success) return refuse(c, [400, invalid, describeIssues(parsed.issues)])
    const accepted = await deps.acceptPeeringRequest(toAcceptInput(parsed.output))
    if (!accepted.ok) return refuse(c, refusals[accepted.error])
    return c.json(accepted.value, 200)
  })
  return withJsonFallbacks(app, deps.logger)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const [issue] = issues
  if (!issue) return 'invalid body'
  const path = v.getDotPath(issue) ?? 'the body'
  // valibot reports a missing key as an object issue that received undefined.
  return issue.type === 'object' && issue.received === 'undefined'
    ? `${path} is required`
    : `${path} ${issue.message}`
}
