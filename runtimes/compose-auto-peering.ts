// Wiring of auto-peering: the server other nodes POST peering requests to (served by boot only
// with ENABLE_AUTO_PEERING) and createOrUpdatePeerByUrl, which sends ours.
import { makeAutoPeeringApp } from '../adapters/http/auto-peering-app.ts'
import { makeHttpAutoPeeringClient } from '../adapters/ilp/http-auto-peering-client.ts'
import {
  makeAcceptPeeringRequest,
  type AcceptPeeringRequest,
} from '../application/peers/auto-peering/accept-peering-request.ts'
import {
  makeCreateOrUpdatePeerByUrl,
  type CreateOrUpdatePeerByUrl,
} from '../application/peers/auto-peering/create-or-update-peer-by-url.ts'
import type { OwnPeeringDetails } from '../application/peers/auto-peering/upsert-auto-peer.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Logger } from '../application/ports/logger.ts'
import type { Config } from './config.ts'
import { peerTokens } from './compose-peers.ts'
import type { FetchHandler } from './serve.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

// A peering request is one small JSON exchange; a peer slower than this is treated as down.
const peeringRequestTimeoutMs = 10_000

export const autoPeeringTokens = {
  acceptPeeringRequest: token<AcceptPeeringRequest>('AcceptPeeringRequest'),
  createOrUpdatePeerByUrl: token<CreateOrUpdatePeerByUrl>('CreateOrUpdatePeerByUrl'),
  /** Served on AUTO_PEERING_SERVER_PORT when ENABLE_AUTO_PEERING is true. */
  autoPeeringApp: token<FetchHandler>('AutoPeeringApp'),
} as const

export type AutoPeeringBaseTokens = {
  readonly config: Token<Config>
  readonly logger: Token<Logger>
  readonly ids: Token<IdGenerator>
  readonly assetRepository: Token<AssetRepository>
}

export function registerAutoPeering(factory: Factory, base: AutoPeeringBaseTokens): void {
  const t = autoPeeringTokens
  const deps = (get: Get) => ({
    createPeer: get(peerTokens.createPeer),
    updatePeer: get(peerTokens.updatePeer),
    peers: get(peerTokens.peerRepository),
    assets: get(base.assetRepository),
    ids: get(base.ids),
    self: ownDetails(get(base.config)),
  })
  factory(t.acceptPeeringRequest, (get) => makeAcceptPeeringRequest(deps(get)))
  factory(t.createOrUpdatePeerByUrl, (get) =>
    makeCreateOrUpdatePeerByUrl({
      ...deps(get),
      client: makeHttpAutoPeeringClient({ timeoutMs: peeringRequestTimeoutMs }),
      depositPeerLiquidity: get(peerTokens.depositPeerLiquidity),
      logger: get(base.logger),
    }),
  )
  factory(t.autoPeeringApp, (get) =>
    makeAutoPeeringApp({
      logger: get(base.logger),
      acceptPeeringRequest: get(t.acceptPeeringRequest),
    }),
  )
}

const ownDetails = (config: Config): OwnPeeringDetails => ({
  ilpAddress: config.ILP_ADDRESS,
  ilpConnectorUrl: config.ILP_CONNECTOR_URL,
  instanceName: config.INSTANCE_NAME,
})
