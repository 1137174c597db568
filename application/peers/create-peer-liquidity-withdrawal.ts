import type { Peer } from '../../domain/peers/peer.ts'
import { err, type Result } from '../../domain/shared/result.ts'
import { runLiquidityTransfer } from '../liquidity/run-liquidity-transfer.ts'
import { isWithdrawalTimeout, withdrawalTransfer } from '../liquidity/withdrawal-transfer.ts'
import type { PeerLiquidityDeps, PeerLiquidityError } from './deposit-peer-liquidity.ts'
import { findPeerWithAsset } from './peer-with-asset.ts'

export type CreatePeerLiquidityWithdrawalInput = {
  readonly peerId: string
  /** The transfer id: postLiquidityWithdrawal and voidLiquidityWithdrawal take it. */
  readonly id: string
  readonly amount: bigint
  /** > 0: a pending withdrawal, posted or voided later; 0: withdrawn at once. */
  readonly timeoutSeconds: number
}

export type CreatePeerLiquidityWithdrawal = (
  input: CreatePeerLiquidityWithdrawalInput,
) => Promise<Result<void, PeerLiquidityError>>

export type CreatePeerLiquidityWithdrawalDeps = PeerLiquidityDeps & {
  /** Called after liquidity left the peer's account, to warn the ASE when it runs low. */
  readonly afterDebit: (peer: Peer) => Promise<void>
}

/** Debits the peer's PEER account for the asset's settlement account (Rafiki's withdrawal). */
export const makeCreatePeerLiquidityWithdrawal =
  (deps: CreatePeerLiquidityWithdrawalDeps): CreatePeerLiquidityWithdrawal =>
  async (input) => {
    if (!isWithdrawalTimeout(input.timeoutSeconds)) return err('invalid_timeout')
    const found = await findPeerWithAsset(deps, input.peerId)
    if (!found) return err('unknown_peer')
    const { peer, asset } = found
    const transfer = withdrawalTransfer({ ...input, accountId: peer.id, asset })
    const result = await runLiquidityTransfer(deps.ledger, transfer)
    if (result.ok) await deps.afterDebit(peer)
    return result
  }
