import * as v from 'valibot'
import type {
  AutoPeeringClient,
  PeeringDetails,
  PeeringRequestError,
} from '../../application/ports/auto-peering-client.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { readCapped } from '../auth/fetch-text.ts'
import {
  autoPeeringBodyBytesMax,
  encodePeeringRequest,
  errorBodySchema,
  peeringDetailsSchema,
  toPeeringDetails,
} from './auto-peering-wire.ts'

export type HttpAutoPeeringClientOptions = {
  /** The whole exchange, reply body included. */
  readonly timeoutMs: number
}

/** POSTs the peering request as JSON and validates the answer; never throws. */
export function makeHttpAutoPeeringClient(
  options: HttpAutoPeeringClientOptions,
): AutoPeeringClient {
  const { timeoutMs } = options
  assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, 'auto-peering client: timeoutMs > 0')
  return {
    async requestPeering(peerUrl, request) {
      if (!isHttpUrl(peerUrl)) return err('invalid_peer_url')
      const signal = AbortSignal.timeout(timeoutMs)
      let response: Response
      try {
        response = await fetch(peerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(encodePeeringRequest(request)),
          signal,
        })
      } catch (error) {
        return err(isTimeout(error) ? 'peer_timeout' : 'peer_unreachable')
      }
      let text: string | undefined
      try {
        text = await readCapped(response.body, autoPeeringBodyBytesMax)
      } catch (error) {
        return err(isTimeout(error) ? 'peer_timeout' : 'invalid_peer_reply')
      }
      if (text === undefined) return err('invalid_peer_reply')
      return response.ok ? parseDetails(text) : err(refusalOf(text))
    },
  }
}

function isHttpUrl(url: string): boolean {
  if (!URL.canParse(url)) return false
  const { protocol } = new URL(url)
  return protocol === 'http:' || protocol === 'https:'
}

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function parseDetails(text: string): Result<PeeringDetails, PeeringRequestError> {
  const parsed = v.safeParse(peeringDetailsSchema, parseJson(text))
  return parsed.success ? ok(toPeeringDetails(parsed.output)) : err('invalid_peer_reply')
}

/** Rafiki's initiating side reads only `error.type` of a refusal. */
function refusalOf(text: string): PeeringRequestError {
  const parsed = v.safeParse(errorBodySchema, parseJson(text))
  if (!parsed.success) return 'peer_refused'
  switch (parsed.output.error.type) {
    case 'UnknownAsset':
      return 'peer_unsupported_asset'
    case 'InvalidPeerIlpConfiguration':
      return 'peer_refused_our_ilp_configuration'
    default:
      return 'peer_refused'
  }
}
