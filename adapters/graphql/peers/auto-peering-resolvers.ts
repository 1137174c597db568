import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type {
  CreateOrUpdatePeerByUrl,
  CreateOrUpdatePeerByUrlError,
} from '../../../application/peers/auto-peering/create-or-update-peer-by-url.ts'
import { peerNameLengthMax } from '../../../domain/peers/peer.ts'
import { err, ok } from '../../../domain/shared/result.ts'
import type { ErrorReply } from '../errors.ts'
import { idempotentMutation } from '../mutation.ts'

export type AutoPeeringResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly createOrUpdatePeerByUrl: CreateOrUpdatePeerByUrl
}

// Codes as Rafiki's AutoPeeringError table (errorToCode) maps them; the messages start with
// Rafiki's and say more where the cause is known.
const unreachable = 'Peer URL is invalid or peer does not support auto-peering'
const invalidRequest = 'Invalid peering request'
const peerMisconfigured = "Requested peer's ILP configuration is misconfigured"
const autoPeeringErrors = {
  unknown_asset: ['NOT_FOUND', 'Unknown asset'],
  invalid_peer_url: ['NOT_FOUND', `${unreachable}: peerUrl must be an absolute http(s) URL`],
  peer_unreachable: ['NOT_FOUND', unreachable],
  peer_timeout: ['BAD_USER_INPUT', `${invalidRequest}: the peer did not answer in time`],
  peer_unsupported_asset: ['BAD_USER_INPUT', 'Peer does not support asset'],
  peer_refused_our_ilp_configuration: ['BAD_USER_INPUT', 'The ILP configuration is misconfigured'],
  peer_refused: ['BAD_USER_INPUT', `${invalidRequest}: the peer refused it`],
  invalid_peer_reply: [
    'BAD_USER_INPUT',
    `${invalidRequest}: the peer's answer is not a peering reply`,
  ],
  invalid_ilp_address: ['INTERNAL_SERVER_ERROR', `${peerMisconfigured}: invalid ILP address`],
  invalid_endpoint: ['INTERNAL_SERVER_ERROR', `${peerMisconfigured}: invalid connector URL`],
  invalid_token: ['BAD_USER_INPUT', `${invalidRequest}: the peer sent an invalid token`],
  too_many_tokens: ['BAD_USER_INPUT', invalidRequest],
  duplicate_incoming_token: [
    'BAD_USER_INPUT',
    `${invalidRequest}: the peer's token is already used by another peer`,
  ],
  duplicate_peer: ['BAD_USER_INPUT', invalidRequest],
  unknown_peer: ['BAD_USER_INPUT', `${invalidRequest}: the peer was deleted meanwhile`],
  invalid_name: ['BAD_USER_INPUT', `name must be at most ${peerNameLengthMax} characters`],
  invalid_max_packet_amount: [
    'BAD_USER_INPUT',
    'maxPacketAmount must be a whole number from 0 to 2^64-1',
  ],
  invalid_threshold: [
    'BAD_USER_INPUT',
    'liquidityThreshold must be a whole number from 0 to 2^64-1',
  ],
  invalid_initial_liquidity: ['BAD_USER_INPUT', invalidRequest],
  liquidity_error: ['INTERNAL_SERVER_ERROR', 'Could not deposit liquidity to peer'],
} as const satisfies Record<CreateOrUpdatePeerByUrlError, ErrorReply>

type CreateOrUpdatePeerByUrlArgs = {
  assetId: string
  peerUrl: string
  maxPacketAmount?: bigint | null
  name?: string | null
  liquidityThreshold?: bigint | null
  liquidityToDeposit?: bigint | null
}

export function makeAutoPeeringResolvers(deps: AutoPeeringResolverDeps) {
  return {
    Mutation: {
      createOrUpdatePeerByUrl: idempotentMutation(
        deps.runIdempotent,
        async (input: CreateOrUpdatePeerByUrlArgs) => {
          const peer = await deps.createOrUpdatePeerByUrl(input)
          return peer.ok ? ok({ peer: peer.value }) : err(autoPeeringErrors[peer.error])
        },
      ),
    },
  }
}
