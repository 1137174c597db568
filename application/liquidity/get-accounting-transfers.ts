import { isSettlementAccountId } from '../../domain/ledger/account-ids.ts'
import type { TransferRecord } from '../../domain/ledger/transfer.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Ledger } from '../ports/ledger.ts'

export type AccountingTransfer = TransferRecord & {
  /** DEPOSIT from, WITHDRAWAL to the settlement account; TRANSFER between liquidity accounts. */
  readonly transferType: 'DEPOSIT' | 'WITHDRAWAL' | 'TRANSFER'
}

export type GetAccountingTransfers = (
  accountId: string,
  limit: number,
) => Promise<{
  readonly debits: readonly AccountingTransfer[]
  readonly credits: readonly AccountingTransfer[]
}>

export const accountingTransfersLimitMax = 100

const withType = (transfer: TransferRecord): AccountingTransfer => ({
  ...transfer,
  transferType: isSettlementAccountId(transfer.debitAccountId)
    ? 'DEPOSIT'
    : isSettlementAccountId(transfer.creditAccountId)
      ? 'WITHDRAWAL'
      : 'TRANSFER',
})

export const makeGetAccountingTransfers =
  (deps: { readonly ledger: Ledger }): GetAccountingTransfers =>
  async (accountId, limit) => {
    if (!isUuid(accountId)) return { debits: [], credits: [] }
    const bounded = Math.min(Math.max(1, Math.trunc(limit)), accountingTransfersLimitMax)
    const { debits, credits } = await deps.ledger.getAccountTransfers(accountId, bounded)
    return { debits: debits.map(withType), credits: credits.map(withType) }
  }
