// Wiring of ILP peers: their admin use cases and the liquidity check the connector runs too.
import type { Sql } from 'postgres'
import type { GetLiquidity } from '../application/liquidity/get-liquidity.ts'
import {
  makeCheckPeerLiquidity,
  type CheckPeerLiquidity,
} from '../application/peers/check-peer-liquidity.ts'
import {
  makeCreatePeerLiquidityWithdrawal,
  type CreatePeerLiquidityWithdrawal,
} from '../application/peers/create-peer-liquidity-withdrawal.ts'
import { makeCreatePeer, type CreatePeer } from '../application/peers/create-peer.ts'
import { makeDeletePeer, type DeletePeer } from '../application/peers/delete-peer.ts'
import {
  makeDepositPeerLiquidity,
  type DepositPeerLiquidity,
} from '../application/peers/deposit-peer-liquidity.ts'
import {
  makeGetPeerByAddressAndAsset,
  type GetPeerByAddressAndAsset,
} from '../application/peers/get-peer-by-address-and-asset.ts'
import { makeGetPeer, type GetPeer } from '../application/peers/get-peer.ts'
import { makeListPeers, type ListPeers } from '../application/peers/list-peers.ts'
import { makeUpdatePeer, type UpdatePeer } from '../application/peers/update-peer.ts'
import type { AssetRepository } from '../application/ports/asset-repository.ts'
import type { Clock } from '../application/ports/clock.ts'
import type { IdGenerator } from '../application/ports/ids.ts'
import type { Ledger } from '../application/ports/ledger.ts'
import type { PeerRepository } from '../application/ports/peer-repository.ts'
import type { WorkSignal } from '../application/ports/work-signal.ts'
import type { EmitWebhookEvent } from '../application/webhooks/emit-webhook-event.ts'
import { makePostgresPeerRepository } from '../adapters/postgres/peer-repository.ts'
import { token, type Factory, type Get, type Token } from './tokens.ts'

export const peerTokens = {
  peerRepository: token<PeerRepository>('PeerRepository'),
  createPeer: token<CreatePeer>('CreatePeer'),
  updatePeer: token<UpdatePeer>('UpdatePeer'),
  deletePeer: token<DeletePeer>('DeletePeer'),
  getPeer: token<GetPeer>('GetPeer'),
  getPeerByAddressAndAsset: token<GetPeerByAddressAndAsset>('GetPeerByAddressAndAsset'),
  listPeers: token<ListPeers>('ListPeers'),
  depositPeerLiquidity: token<DepositPeerLiquidity>('DepositPeerLiquidity'),
  createPeerLiquidityWithdrawal: token<CreatePeerLiquidityWithdrawal>(
    'CreatePeerLiquidityWithdrawal',
  ),
  /** `peer.liquidity_low` after a debit of a peer's account (withdrawals, forwarded packets). */
  checkPeerLiquidity: token<CheckPeerLiquidity>('CheckPeerLiquidity'),
} as const

/** The tokens of the rest of the graph that peers depend on. */
export type PeerBaseTokens = {
  readonly clock: Token<Clock>
  readonly ids: Token<IdGenerator>
  readonly sql: Token<Sql>
  readonly ledger: Token<Ledger>
  readonly workSignal: Token<WorkSignal>
  readonly assetRepository: Token<AssetRepository>
  readonly getLiquidity: Token<GetLiquidity>
  readonly emitWebhookEvent: Token<EmitWebhookEvent>
}

export function registerPeers(factory: Factory, base: PeerBaseTokens): void {
  const t = peerTokens
  factory(t.peerRepository, (get) => makePostgresPeerRepository(get(base.sql)))
  const deps = (get: Get) => ({
    peers: get(t.peerRepository),
    assets: get(base.assetRepository),
    ledger: get(base.ledger),
    clock: get(base.clock),
    ids: get(base.ids),
    signal: get(base.workSignal),
  })
  factory(t.createPeer, (get) => makeCreatePeer(deps(get)))
  factory(t.updatePeer, (get) => makeUpdatePeer(deps(get)))
  factory(t.deletePeer, (get) => makeDeletePeer(deps(get)))
  factory(t.getPeer, (get) => makeGetPeer(deps(get)))
  factory(t.getPeerByAddressAndAsset, (get) => makeGetPeerByAddressAndAsset(deps(get)))
  factory(t.listPeers, (get) => makeListPeers(deps(get)))
  factory(t.depositPeerLiquidity, (get) => makeDepositPeerLiquidity(deps(get)))
  factory(t.checkPeerLiquidity, (get) =>
    makeCheckPeerLiquidity({
      assets: get(base.assetRepository),
      getLiquidity: get(base.getLiquidity),
      emit: get(base.emitWebhookEvent),
    }),
  )
  factory(t.createPeerLiquidityWithdrawal, (get) =>
    makeCreatePeerLiquidityWithdrawal({ ...deps(get), afterDebit: get(t.checkPeerLiquidity) }),
  )
}
