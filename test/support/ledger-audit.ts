// Audits one asset of a running node's ledger through its admin API only: the money brought in
// through the asset's settlement account must equal the liquidity held by its accounts, and no
// hold may be left pending.
import { settlementAccountId } from '../../domain/ledger/account-ids.ts'
import { gql } from './graphql-client.ts'

export type AuditedAccount = {
  readonly kind: 'asset' | 'peer' | 'incomingPayment' | 'outgoingPayment'
  readonly id: string
}

export type AssetAudit = {
  /** Posted debits less posted credits of the settlement account: deposits less withdrawals. */
  readonly deposited: bigint
  /** The sum of the `liquidity` field of every audited account. */
  readonly liquidity: bigint
  /** Transfers of the audited accounts still PENDING. */
  readonly pending: number
}

// accountingTransfers answers at most this many per side; an audit that reaches it is incomplete.
const transfersLimit = 100

type Transfer = { readonly amount: string; readonly state: string }
type Transfers = { readonly debits: readonly Transfer[]; readonly credits: readonly Transfer[] }

async function transfersOf(adminUrl: string, id: string): Promise<Transfers> {
  const reply = await gql(
    adminUrl,
    `query ($id: String!, $limit: Int) { accountingTransfers(id: $id, limit: $limit) {
      debits { amount state } credits { amount state } } }`,
    { id, limit: transfersLimit },
  )
  const transfers = reply.data?.['accountingTransfers'] as Transfers | undefined
  if (!transfers) throw new Error(JSON.stringify(reply))
  if (transfers.debits.length >= transfersLimit || transfers.credits.length >= transfersLimit) {
    throw new Error(`ledger audit: account ${id} has too many transfers to audit`)
  }
  return transfers
}

async function liquidityOf(adminUrl: string, account: AuditedAccount): Promise<bigint> {
  const reply = await gql(
    adminUrl,
    `query ($id: String!) { item: ${account.kind}(id: $id) { liquidity } }`,
    { id: account.id },
  )
  const item = reply.data?.['item'] as { liquidity: string | null } | null | undefined
  if (!item || item.liquidity === null) throw new Error(JSON.stringify(reply))
  return BigInt(item.liquidity)
}

const posted = (transfers: readonly Transfer[]): bigint =>
  transfers.filter((t) => t.state === 'POSTED').reduce((sum, t) => sum + BigInt(t.amount), 0n)

/**
 * Audits the asset `assetId` over its own liquidity account and `accounts`, which must be every
 * other account of that asset holding money on the node.
 */
export async function auditAsset(
  adminUrl: string,
  assetId: string,
  accounts: readonly AuditedAccount[],
): Promise<AssetAudit> {
  const all: readonly AuditedAccount[] = [{ kind: 'asset', id: assetId }, ...accounts]
  const settlement = await transfersOf(adminUrl, settlementAccountId(assetId))
  let liquidity = 0n
  let pending = 0
  for (const account of all) {
    liquidity += await liquidityOf(adminUrl, account)
    const { debits, credits } = await transfersOf(adminUrl, account.id)
    pending += [...debits, ...credits].filter((t) => t.state === 'PENDING').length
  }
  return { deposited: posted(settlement.debits) - posted(settlement.credits), liquidity, pending }
}
