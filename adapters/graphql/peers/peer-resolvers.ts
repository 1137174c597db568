import type { PageArgs } from '../../../domain/pagination/page.ts'
import {
  incomingTokensMax,
  peerEndpointLengthMax,
  peerNameLengthMax,
  peerTokenLengthMax,
  type Peer,
} from '../../../domain/peers/peer.ts'
import { assert } from '../../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../../domain/shared/result.ts'
import type { RunIdempotent } from '../../../application/admin/run-idempotent.ts'
import type { GetAsset } from '../../../application/assets/get-asset.ts'
import type { GetLiquidity } from '../../../application/liquidity/get-liquidity.ts'
import type { CreatePeerLiquidityWithdrawal } from '../../../application/peers/create-peer-liquidity-withdrawal.ts'
import type { CreatePeer, CreatePeerError } from '../../../application/peers/create-peer.ts'
import type { DeletePeer } from '../../../application/peers/delete-peer.ts'
import type {
  DepositPeerLiquidity,
  PeerLiquidityError,
} from '../../../application/peers/deposit-peer-liquidity.ts'
import type { GetPeerByAddressAndAsset } from '../../../application/peers/get-peer-by-address-and-asset.ts'
import type { GetPeer } from '../../../application/peers/get-peer.ts'
import type { ListPeers } from '../../../application/peers/list-peers.ts'
import type { UpdatePeer, UpdatePeerError } from '../../../application/peers/update-peer.ts'
import { toConnection } from '../connection.ts'
import { graphqlError, pageErrors, type ErrorReply } from '../errors.ts'
import { liquidityErrors } from '../liquidity/liquidity-resolvers.ts'
import { idempotentMutation } from '../mutation.ts'

export type PeerResolverDeps = {
  readonly runIdempotent: RunIdempotent
  readonly createPeer: CreatePeer
  readonly updatePeer: UpdatePeer
  readonly deletePeer: DeletePeer
  readonly getPeer: GetPeer
  readonly getPeerByAddressAndAsset: GetPeerByAddressAndAsset
  readonly listPeers: ListPeers
  readonly depositPeerLiquidity: DepositPeerLiquidity
  readonly createPeerLiquidityWithdrawal: CreatePeerLiquidityWithdrawal
  readonly getAsset: GetAsset
  readonly getLiquidity: GetLiquidity
}

// Codes as Rafiki's PeerError table maps them.
const peerErrors = {
  invalid_ilp_address: ['BAD_USER_INPUT', 'Invalid ILP address'],
  invalid_endpoint: [
    'BAD_USER_INPUT',
    `Invalid HTTP endpoint: an absolute http or https URL of at most ${peerEndpointLengthMax} ` +
      'characters is expected',
  ],
  invalid_token: [
    'BAD_USER_INPUT',
    `Auth tokens must be 1 to ${peerTokenLengthMax} visible ASCII characters`,
  ],
  too_many_tokens: ['BAD_USER_INPUT', `At most ${incomingTokensMax} incoming auth tokens`],
  duplicate_incoming_token: ['DUPLICATE', 'Incoming token already exists'],
  duplicate_peer: ['DUPLICATE', 'Duplicate peer found for same ILP address and asset'],
  invalid_name: ['BAD_USER_INPUT', `name must be at most ${peerNameLengthMax} characters`],
  invalid_max_packet_amount: [
    'BAD_USER_INPUT',
    'maxPacketAmount must be a whole number from 0 to 2^64-1',
  ],
  invalid_threshold: [
    'BAD_USER_INPUT',
    'liquidityThreshold must be a whole number from 0 to 2^64-1',
  ],
  invalid_initial_liquidity: ['BAD_USER_INPUT', 'Invalid initial liquidity for peer'],
  unknown_asset: ['NOT_FOUND', 'Unknown asset'],
  unknown_peer: ['NOT_FOUND', 'Unknown peer'],
} as const satisfies Record<CreatePeerError | UpdatePeerError, ErrorReply>

const peerLiquidityErrors = {
  ...liquidityErrors,
  unknown_peer: peerErrors.unknown_peer,
} as const satisfies Record<PeerLiquidityError, ErrorReply>

type HttpInput = {
  incoming?: { authTokens: string[] } | null
  outgoing: { authToken: string; endpoint: string }
}
type CreatePeerArgs = {
  assetId: string
  staticIlpAddress: string
  http: HttpInput
  maxPacketAmount?: bigint | null
  name?: string | null
  liquidityThreshold?: bigint | null
  initialLiquidity?: bigint | null
}
type UpdatePeerArgs = {
  id: string
  staticIlpAddress?: string | null
  http?: HttpInput | null
  maxPacketAmount?: bigint | null
  name?: string | null
  liquidityThreshold?: bigint | null
}
type AmountArgs = { peerId: string; amount: bigint; id: string }

/** timeoutSeconds is a UInt64 in Rafiki's schema; anything beyond a safe integer is refused. */
const toSeconds = (value: bigint): number =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN

const peerPayload = (result: Result<Peer, CreatePeerError | UpdatePeerError>) =>
  result.ok ? ok({ peer: result.value }) : err(peerErrors[result.error])

const successPayload = (result: Result<void, PeerLiquidityError>) =>
  result.ok ? ok({ success: true }) : err(peerLiquidityErrors[result.error])

export function makePeerResolvers(deps: PeerResolverDeps) {
  return {
    Query: makeQueries(deps),
    Mutation: makeMutations(deps),
    Peer: {
      http: (peer: Peer) => ({ outgoing: peer.outgoing }),
      asset: async (peer: Peer) => {
        const asset = await deps.getAsset(peer.assetId)
        // Assets in use are never deleted; a missing one is a broken invariant, not user input.
        assert(asset, `asset ${peer.assetId} of peer ${peer.id} is gone`)
        return asset
      },
      liquidity: async (peer: Peer) => (await deps.getLiquidity(peer.id)) ?? null,
      createdAt: (peer: Peer) => peer.createdAt.toISOString(),
    },
  }
}

function makeQueries(deps: PeerResolverDeps) {
  return {
    peer: async (_: unknown, args: { id: string }) => {
      const peer = await deps.getPeer(args.id)
      if (!peer) throw graphqlError(peerErrors.unknown_peer)
      return peer
    },
    peerByAddressAndAsset: async (
      _: unknown,
      args: { staticIlpAddress: string; assetId: string },
    ) => (await deps.getPeerByAddressAndAsset(args.staticIlpAddress, args.assetId)) ?? null,
    peers: async (_: unknown, args: PageArgs) => {
      const page = await deps.listPeers(args)
      if (!page.ok) throw graphqlError(pageErrors[page.error])
      return toConnection(page.value)
    },
  }
}

function makeMutations(deps: PeerResolverDeps) {
  const mutation = idempotentMutation
  return {
    createPeer: mutation(deps.runIdempotent, async (input: CreatePeerArgs) => {
      const { http, ...rest } = input
      const created = await deps.createPeer({
        ...rest,
        outgoing: http.outgoing,
        incomingTokens: http.incoming?.authTokens ?? [],
      })
      return peerPayload(created)
    }),
    updatePeer: mutation(deps.runIdempotent, async (input: UpdatePeerArgs) => {
      const { http, ...rest } = input
      const updated = await deps.updatePeer({
        ...rest,
        outgoing: http?.outgoing,
        incomingTokens: http?.incoming?.authTokens,
      })
      return peerPayload(updated)
    }),
    deletePeer: mutation(deps.runIdempotent, async (input: { id: string }) => {
      const deleted = await deps.deletePeer(input.id)
      return deleted.ok ? ok({ success: true }) : err(peerErrors[deleted.error])
    }),
    depositPeerLiquidity: mutation(deps.runIdempotent, async (input: AmountArgs) =>
      successPayload(await deps.depositPeerLiquidity(input)),
    ),
    createPeerLiquidityWithdrawal: mutation(
      deps.runIdempotent,
      async (input: AmountArgs & { timeoutSeconds: bigint }) =>
        successPayload(
          await deps.createPeerLiquidityWithdrawal({
            ...input,
            timeoutSeconds: toSeconds(input.timeoutSeconds),
          }),
        ),
    ),
  }
}
