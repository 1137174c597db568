import { availableLiquidity } from '../../domain/ledger/account.ts'
import type { Ledger } from '../ports/ledger.ts'

/** The `liquidity` field of assets, peers and payments: what the account can still pay out. */
export type GetLiquidity = (accountId: string) => Promise<bigint | undefined>

export const makeGetLiquidity =
  (deps: { readonly ledger: Ledger }): GetLiquidity =>
  async (accountId) => {
    const balance = (await deps.ledger.getBalances([accountId])).get(accountId)
    return balance && availableLiquidity(balance)
  }
