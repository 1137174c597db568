import { checkPeerSettings, type Peer } from '../../../domain/peers/peer.ts'
import { err, ok, type Result } from '../../../domain/shared/result.ts'
import { isUuid } from '../../../domain/shared/uuid.ts'
import type { AssetRepository } from '../../ports/asset-repository.ts'
import type { AutoPeeringClient, PeeringRequestError } from '../../ports/auto-peering-client.ts'
import type { IdGenerator } from '../../ports/ids.ts'
import type { Logger } from '../../ports/logger.ts'
import type { DepositPeerLiquidity } from '../deposit-peer-liquidity.ts'
import {
  upsertAutoPeer,
  type OwnPeeringDetails,
  type UpsertAutoPeerDeps,
  type UpsertAutoPeerError,
} from './upsert-auto-peer.ts'

export type CreateOrUpdatePeerByUrlInput = {
  readonly assetId: string
  /** The other node's auto-peering server. */
  readonly peerUrl: string
  readonly maxPacketAmount?: bigint | null | undefined
  /** Our name for the peer; absent: the name the peer gives itself. */
  readonly name?: string | null | undefined
  readonly liquidityThreshold?: bigint | null | undefined
  /** Deposited into the peer's liquidity account afterwards; absent or 0 deposits nothing. */
  readonly liquidityToDeposit?: bigint | null | undefined
}

export type CreateOrUpdatePeerByUrlError =
  | 'unknown_asset'
  | PeeringRequestError
  | UpsertAutoPeerError
  /** The peer exists (created or updated) but the deposit failed. */
  | 'liquidity_error'

export type CreateOrUpdatePeerByUrl = (
  input: CreateOrUpdatePeerByUrlInput,
) => Promise<Result<Peer, CreateOrUpdatePeerByUrlError>>

export type CreateOrUpdatePeerByUrlDeps = UpsertAutoPeerDeps & {
  readonly assets: AssetRepository
  readonly client: AutoPeeringClient
  readonly depositPeerLiquidity: DepositPeerLiquidity
  readonly ids: IdGenerator
  readonly logger: Logger
  readonly self: OwnPeeringDetails
}

/**
 * Rafiki's initiatePeeringRequest: send our details and a new token of ours to the peer's
 * auto-peering server, then create (or update) the peer from its answer. Our own settings are
 * checked first, so a request we would refuse afterwards never reaches the other node.
 */
export const makeCreateOrUpdatePeerByUrl =
  (deps: CreateOrUpdatePeerByUrlDeps): CreateOrUpdatePeerByUrl =>
  async (input) => {
    const maxPacketAmount = input.maxPacketAmount ?? undefined
    const name = input.name ?? undefined
    const liquidityThreshold = input.liquidityThreshold ?? undefined
    const checked = checkPeerSettings({ name, maxPacketAmount, liquidityThreshold })
    if (!checked.ok) return checked
    const asset = isUuid(input.assetId) ? await deps.assets.getById(input.assetId) : undefined
    if (!asset) return err('unknown_asset')
    const outgoingToken = deps.ids.uuid()
    const details = await deps.client.requestPeering(input.peerUrl, {
      staticIlpAddress: deps.self.ilpAddress,
      ilpConnectorUrl: deps.self.ilpConnectorUrl,
      asset: { code: asset.code, scale: asset.scale },
      httpToken: outgoingToken,
      maxPacketAmount,
      name: deps.self.instanceName,
    })
    if (!details.ok) return details
    const peer = await upsertAutoPeer(deps, {
      assetId: asset.id,
      staticIlpAddress: details.value.staticIlpAddress,
      endpoint: details.value.ilpConnectorUrl,
      incomingToken: details.value.httpToken,
      outgoingToken,
      maxPacketAmount,
      name: name ?? details.value.name ?? undefined,
      liquidityThreshold,
    })
    if (!peer.ok) return peer
    const amount = input.liquidityToDeposit ?? 0n
    if (amount === 0n) return peer
    const deposited = await deps.depositPeerLiquidity({
      peerId: peer.value.id,
      id: deps.ids.uuid(),
      amount,
    })
    if (deposited.ok) return ok(peer.value)
    deps.logger.error(
      { err: deposited.error, peerId: peer.value.id, amount: amount.toString() },
      'auto-peering: could not deposit liquidity to the peer',
    )
    return err('liquidity_error')
  }
