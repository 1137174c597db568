import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import type { LiquidityError } from '../liquidity/liquidity-errors.ts'
import { runLiquidityTransfer } from '../liquidity/run-liquidity-transfer.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { PeerRepository } from '../ports/peer-repository.ts'
import { findPeerWithAsset } from './peer-with-asset.ts'

/** What an operator's peer liquidity request can fail with. */
export type PeerLiquidityError = LiquidityError | 'unknown_peer'

export type DepositPeerLiquidityInput = {
  readonly peerId: string
  /** The transfer id, chosen by the operator so a retry cannot deposit twice. */
  readonly id: string
  readonly amount: bigint
}

export type DepositPeerLiquidity = (
  input: DepositPeerLiquidityInput,
) => Promise<Result<void, PeerLiquidityError>>

export type PeerLiquidityDeps = {
  readonly peers: PeerRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
}

/** Credits the peer's PEER account from the asset's settlement account (Rafiki's deposit). */
export const makeDepositPeerLiquidity =
  (deps: PeerLiquidityDeps): DepositPeerLiquidity =>
  async (input) => {
    const found = await findPeerWithAsset(deps, input.peerId)
    if (!found) return err('unknown_peer')
    const { peer, asset } = found
    return runLiquidityTransfer(deps.ledger, {
      type: 'single',
      id: input.id,
      debitAccountId: settlementAccountId(asset.id),
      creditAccountId: peer.id,
      amount: input.amount,
      ledger: asset.ledger,
    })
  }
