import { availableLiquidity } from '../../domain/ledger/account.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { WalletAddress } from '../../domain/wallet-addresses/wallet-address.ts'
import type { AssetRepository } from '../ports/asset-repository.ts'
import type { Ledger } from '../ports/ledger.ts'
import type { WalletAddressRepository } from '../ports/wallet-address-repository.ts'
import type { LiquidityError } from './liquidity-errors.ts'
import { runLiquidityTransfer } from './run-liquidity-transfer.ts'
import { isWithdrawalTimeout, withdrawalTransfer } from './withdrawal-transfer.ts'

export type CreateWalletAddressWithdrawalInput = {
  readonly walletAddressId: string
  /** The transfer id, chosen by the operator. */
  readonly id: string
  /** > 0: a pending withdrawal, posted or voided later; 0: withdrawn at once. */
  readonly timeoutSeconds: number
}

/** Rafiki's WalletAddressWithdrawal. */
export type WalletAddressWithdrawal = {
  readonly id: string
  readonly amount: bigint
  readonly walletAddress: WalletAddress
}

export type CreateWalletAddressWithdrawalError =
  | LiquidityError
  | 'unknown_wallet_address'
  /** Nothing to withdraw: no web monetization received, or all of it withdrawn or held. */
  | 'amount_zero'

export type CreateWalletAddressWithdrawal = (
  input: CreateWalletAddressWithdrawalInput,
) => Promise<Result<WalletAddressWithdrawal, CreateWalletAddressWithdrawalError>>

export type CreateWalletAddressWithdrawalDeps = {
  readonly walletAddresses: WalletAddressRepository
  readonly assets: AssetRepository
  readonly ledger: Ledger
}

/**
 * Rafiki's createWalletAddressWithdrawal: withdraws everything the wallet address's
 * WEB_MONETIZATION account (id = wallet address id) can pay out. The account is made by the
 * first web-monetization receipt; until then the balance is zero, which is refused as in Rafiki.
 */
export const makeCreateWalletAddressWithdrawal =
  (deps: CreateWalletAddressWithdrawalDeps): CreateWalletAddressWithdrawal =>
  async (input) => {
    const { walletAddressId: id } = input
    const walletAddress = isUuid(id) ? await deps.walletAddresses.getById(id) : undefined
    if (!walletAddress) return err('unknown_wallet_address')
    if (!isWithdrawalTimeout(input.timeoutSeconds)) return err('invalid_timeout')
    const balance = (await deps.ledger.getBalances([walletAddress.id])).get(walletAddress.id)
    const amount = balance ? availableLiquidity(balance) : 0n
    if (amount <= 0n) return err('amount_zero')
    const asset = await deps.assets.getById(walletAddress.assetId)
    assert(asset, `wallet address ${walletAddress.id}: asset ${walletAddress.assetId} missing`)
    const transfer = withdrawalTransfer({ ...input, accountId: walletAddress.id, asset, amount })
    const result = await runLiquidityTransfer(deps.ledger, transfer)
    return result.ok ? ok({ id: input.id, amount, walletAddress }) : result
  }
