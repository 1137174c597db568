// Rafiki's auto-peering exchange on the wire (JSON), shared by our server and our client:
// POST {staticIlpAddress, ilpConnectorUrl, asset{code scale}, httpToken, maxPacketAmount?, name?}
// -> 200 {staticIlpAddress, ilpConnectorUrl, httpToken, name}, or {error: {code, message, type}}.
import * as v from 'valibot'
import type { AcceptPeeringRequestInput } from '../../application/peers/auto-peering/accept-peering-request.ts'
import type { PeeringDetails, PeeringRequest } from '../../application/ports/auto-peering-client.ts'
import { peerNameLengthMax } from '../../domain/peers/peer.ts'
import { isUInt64 } from '../../domain/shared/uint64.ts'

/** Rafiki's AutoPeeringError values, as they travel in `error.type`. */
export type AutoPeeringErrorType =
  'InvalidPeerIlpConfiguration' | 'UnknownAsset' | 'InvalidPeeringRequest'

export type AutoPeeringErrorBody = {
  readonly error: { readonly code: number; readonly message: string; readonly type: string }
}

/** A request or reply is a few hundred bytes; this only bounds the work on a hostile one. */
export const autoPeeringBodyBytesMax = 64 * 1024
// Loose on purpose: the peer rules (domain/peers) judge addresses, URLs and tokens, so that a bad
// one gets its specific error; this only keeps absurd values out.
const fieldLengthMax = 4096

const text = v.pipe(v.string('must be a string'), v.maxLength(fieldLengthMax, 'is too long'))

// Rafiki sends a JSON number (null when unset); a decimal string also carries amounts over 2^53.
const maxPacketAmountSchema = v.pipe(
  v.union(
    [v.pipe(v.number(), v.safeInteger(), v.minValue(0)), v.pipe(v.string(), v.regex(/^\d{1,20}$/))],
    'must be a whole number from 0 to 2^64-1, as a number or a decimal string',
  ),
  v.transform((value: number | string) => BigInt(value)),
  v.check(isUInt64, 'must be a whole number from 0 to 2^64-1'),
)

export const peeringRequestSchema = v.object({
  staticIlpAddress: text,
  ilpConnectorUrl: text,
  asset: v.object(
    {
      code: text,
      scale: v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(0, 'must be from 0 to 255'),
        v.maxValue(255, 'must be from 0 to 255'),
      ),
    },
    'must be an object {code, scale}',
  ),
  httpToken: text,
  maxPacketAmount: v.nullish(maxPacketAmountSchema),
  name: v.nullish(text),
})

/** The validated request as the accepting use case takes it. */
export const toAcceptInput = (
  body: v.InferOutput<typeof peeringRequestSchema>,
): AcceptPeeringRequestInput => ({
  staticIlpAddress: body.staticIlpAddress,
  ilpConnectorUrl: body.ilpConnectorUrl,
  asset: body.asset,
  httpToken: body.httpToken,
  maxPacketAmount: body.maxPacketAmount ?? undefined,
  name: body.name ?? undefined,
})

/** The request body we send; an amount a JSON number cannot hold exactly goes as a string. */
export function encodePeeringRequest(request: PeeringRequest): Record<string, unknown> {
  const { maxPacketAmount } = request
  return {
    staticIlpAddress: request.staticIlpAddress,
    ilpConnectorUrl: request.ilpConnectorUrl,
    asset: { code: request.asset.code, scale: request.asset.scale },
    httpToken: request.httpToken,
    ...(maxPacketAmount !== undefined && {
      maxPacketAmount:
        maxPacketAmount <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(maxPacketAmount)
          : maxPacketAmount.toString(),
    }),
    name: request.name,
  }
}

export const peeringDetailsSchema = v.object({
  staticIlpAddress: text,
  ilpConnectorUrl: text,
  httpToken: text,
  name: v.nullish(v.string()),
})

export const toPeeringDetails = (
  body: v.InferOutput<typeof peeringDetailsSchema>,
): PeeringDetails => ({
  staticIlpAddress: body.staticIlpAddress,
  ilpConnectorUrl: body.ilpConnectorUrl,
  httpToken: body.httpToken,
  // The name is cosmetic: an overlong one is dropped rather than failing the whole peering.
  name: body.name != null && body.name.length <= peerNameLengthMax ? body.name : null,
})

export const errorBodySchema = v.object({ error: v.object({ type: v.string() }) })
