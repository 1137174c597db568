import type { Asset } from '../../domain/assets/asset.ts'
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import {
  checkPeerSettings,
  type Peer,
  type PeerOutgoing,
  type PeerSettingsError,
} from '../../domain/peers/peer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUInt64 } from '../../domain/shared/uint64.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import { runLiquidityTransfer } from '../liquidity/run-liquidity-transfer.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Ledger } from '../ports/ledger.ts'
import {
  peersChangedTopic,
  type PeerRepository,
  type PeerWriteError,
} from '../ports/peer-repository.ts'
import type { WorkSignal } from '../ports/work-signal.ts'

export type CreatePeerInput = {
  readonly assetId: string
  readonly staticIlpAddress: string
  readonly outgoing: PeerOutgoing
  readonly incomingTokens?: readonly string[] | null | undefined
  readonly name?: string | null | undefined
  readonly maxPacketAmount?: bigint | null | undefined
  readonly liquidityThreshold?: bigint | null | undefined
  /** Deposited from the asset's settlement account once the peer exists; 0 deposits nothing. */
  readonly initialLiquidity?: bigint | null | undefined
}

export type CreatePeerError =
  PeerSettingsError | PeerWriteError | 'unknown_asset' | 'invalid_initial_liquidity'

export type CreatePeer = (input: CreatePeerInput) => Promise<Result<Peer, CreatePeerError>>

export type CreatePeerDeps = {
  readonly peers: PeerRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly signal: WorkSignal
}

/**
 * Rafiki's createPeer. The PEER liquidity account (id = peer id, on the asset's ledger) is
 * opened before the row is written, so no reader ever finds a peer without its account; a create
 * refused as a duplicate leaves an empty account behind, under an id nothing will reuse.
 */
export const makeCreatePeer =
  (deps: CreatePeerDeps): CreatePeer =>
  async (input) => {
    const incomingTokens = input.incomingTokens ?? []
    const checked = checkPeerSettings({ ...input, incomingTokens })
    if (!checked.ok) return checked
    const initialLiquidity = input.initialLiquidity ?? 0n
    if (!isUInt64(initialLiquidity)) return err('invalid_initial_liquidity')
    const asset = isUuid(input.assetId) ? await deps.assets.getById(input.assetId) : undefined
    if (!asset) return err('unknown_asset')
    const id = deps.ids.uuid()
    const account = await deps.ledger.createAccounts([{ id, ledger: asset.ledger, kind: 'PEER' }])
    // A fresh random id cannot exist with other fields.
    assert(account.ok, `peer account ${id} exists with other fields`)
    const created = await deps.peers.create({
      id,
      assetId: asset.id,
      staticIlpAddress: input.staticIlpAddress,
      name: input.name ?? null,
      maxPacketAmount: input.maxPacketAmount ?? null,
      liquidityThreshold: input.liquidityThreshold ?? null,
      incomingTokens,
      outgoing: input.outgoing,
      createdAt: new Date(deps.clock.now()),
    })
    if (!created.ok) return created
    if (initialLiquidity > 0n) {
      const deposited = await depositInitialLiquidity(deps, created.value, asset, initialLiquidity)
      if (!deposited.ok) return deposited
    }
    deps.signal.notify(peersChangedTopic)
    return ok(created.value)
  }

/** As Rafiki's transaction: no peer stays behind whose initial deposit failed. */
async function depositInitialLiquidity(
  deps: CreatePeerDeps,
  peer: Peer,
  asset: Asset,
  amount: bigint,
): Promise<Result<void, 'invalid_initial_liquidity'>> {
  const request = {
    type: 'single',
    id: deps.ids.orderedUuid(),
    debitAccountId: settlementAccountId(asset.id),
    creditAccountId: peer.id,
    amount,
    ledger: asset.ledger,
  } as const
  const deposited = await runLiquidityTransfer(deps.ledger, request).catch(async (error) => {
    await deps.peers.delete(peer.id)
    throw error
  })
  if (deposited.ok) return deposited
  await deps.peers.delete(peer.id)
  return err('invalid_initial_liquidity')
}
