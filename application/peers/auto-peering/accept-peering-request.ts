import { err, ok, type Result } from '../../../domain/shared/result.ts'
import type { AssetRepository } from '../../ports/asset-repository.ts'
import type { PeeringDetails } from '../../ports/auto-peering-client.ts'
import type { IdGenerator } from '../../ports/ids.ts'
import {
  upsertAutoPeer,
  type OwnPeeringDetails,
  type UpsertAutoPeerDeps,
  type UpsertAutoPeerError,
} from './upsert-auto-peer.ts'

/** A peering request as another node POSTs it to our auto-peering server, validated. */
export type AcceptPeeringRequestInput = {
  readonly staticIlpAddress: string
  readonly ilpConnectorUrl: string
  readonly asset: { readonly code: string; readonly scale: number }
  /** The token the requester will present to us. */
  readonly httpToken: string
  /** Absent or 0: no limit (Rafiki treats 0 as absent). */
  readonly maxPacketAmount?: bigint | undefined
  readonly name?: string | undefined
}

export type AcceptPeeringRequestError = 'unknown_asset' | UpsertAutoPeerError

export type AcceptPeeringRequest = (
  input: AcceptPeeringRequestInput,
) => Promise<Result<PeeringDetails, AcceptPeeringRequestError>>

export type AcceptPeeringRequestDeps = UpsertAutoPeerDeps & {
  readonly assets: AssetRepository
  readonly ids: IdGenerator
  readonly self: OwnPeeringDetails
}

/**
 * As Rafiki, a node that accepts a peering request extends the new peer 2^53 - 1 of credit (its
 * PEER account is funded from the settlement account once, on create): auto-peering is meant
 * for nodes that trust whoever can reach AUTO_PEERING_SERVER_PORT.
 */
export const autoPeerCredit = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * Rafiki's acceptPeeringRequest: create (or update) the requester as a peer on our asset of that
 * code and scale, with a new token of ours for it, and answer with our own details.
 */
export const makeAcceptPeeringRequest =
  (deps: AcceptPeeringRequestDeps): AcceptPeeringRequest =>
  async (input) => {
    const asset = await deps.assets.getByCodeAndScale(input.asset.code, input.asset.scale)
    if (!asset) return err('unknown_asset')
    const peer = await upsertAutoPeer(deps, {
      assetId: asset.id,
      staticIlpAddress: input.staticIlpAddress,
      endpoint: input.ilpConnectorUrl,
      incomingToken: input.httpToken,
      outgoingToken: deps.ids.uuid(),
      maxPacketAmount: input.maxPacketAmount === 0n ? undefined : input.maxPacketAmount,
      name: input.name,
      initialLiquidity: autoPeerCredit,
    })
    if (!peer.ok) return peer
    return ok({
      staticIlpAddress: deps.self.ilpAddress,
      ilpConnectorUrl: deps.self.ilpConnectorUrl,
      httpToken: peer.value.outgoing.authToken,
      name: deps.self.instanceName,
    })
  }
