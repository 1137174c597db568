// The Ledger's plain statements: account creation and the reads. Reads take no locks; each is
// one statement, so it sees one consistent snapshot.
import type { Ledger } from '../../application/ports/ledger.ts'
import {
  liquidityAccountKinds,
  type AccountBalance,
  type LedgerAccount,
} from '../../domain/ledger/account.ts'
import type { TransferRecord } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok } from '../../domain/shared/result.ts'
import { isUuid } from '../../domain/shared/uuid.ts'
import type { Sql } from '../postgres/database.ts'
import { ledgerLimits } from './ledger-limits.ts'

type CreateAccountsResult = Awaited<ReturnType<Ledger['createAccounts']>>
type AccountTransfers = Awaited<ReturnType<Ledger['getAccountTransfers']>>

const accountKinds: readonly string[] = ['SETTLEMENT', ...liquidityAccountKinds]
const recordTypes: readonly string[] = ['single', 'pending', 'post', 'void']
const recordStates: readonly string[] = ['PENDING', 'POSTED', 'VOIDED']

/** Thrown inside the transaction to roll it back; never leaves this module. */
class AccountClash extends Error {
  readonly index: number
  constructor(index: number) {
    super(`account ${index} exists with different fields`)
    this.index = index
  }
}

/** All or nothing; concurrent creators of one id agree, because the second waits for the first. */
export async function createAccounts(
  sql: Sql,
  accounts: readonly LedgerAccount[],
): Promise<CreateAccountsResult> {
  assert(
    accounts.length <= ledgerLimits.accountsPerCallMax,
    `postgres ledger: at most ${ledgerLimits.accountsPerCallMax} accounts per call`,
  )
  accounts.forEach(assertAccount)
  if (accounts.length === 0) return ok(undefined)
  const ids = accounts.map((account) => account.id)
  const ledgers = accounts.map((account) => account.ledger)
  const kinds = accounts.map((account) => account.kind)
  try {
    await sql.begin(async (tx) => {
      await tx`
        insert into ledger_accounts (id, ledger, kind)
        select * from unnest(${ids}::uuid[], ${ledgers}::int[], ${kinds}::text[])
        on conflict (id) do nothing`
      const [clash] = await tx<{ index: number }[]>`
        select (given.n - 1)::int as index
        from unnest(${ids}::uuid[], ${ledgers}::int[], ${kinds}::text[])
          with ordinality as given (id, ledger, kind, n)
        join ledger_accounts stored on stored.id = given.id
        where stored.ledger <> given.ledger or stored.kind <> given.kind
        order by given.n limit 1`
      if (clash) throw new AccountClash(clash.index)
    })
  } catch (error) {
    if (error instanceof AccountClash) {
      return err({ index: error.index, error: 'exists_with_different_fields' })
    }
    throw error
  }
  return ok(undefined)
}

type BalanceRow = {
  id: string
  debits_pending: string
  debits_posted: string
  credits_pending: string
  credits_posted: string
}

/** Expired holds not yet released are subtracted here, so they never show. */
export async function getBalances(
  sql: Sql,
  accountIds: readonly string[],
  now: Date | undefined,
): Promise<ReadonlyMap<string, AccountBalance>> {
  // A string that is not a UUID names no account (and must not reach a uuid cast).
  const ids = [...new Set(accountIds.filter(isUuid))]
  assert(
    ids.length <= ledgerLimits.balancesPerCallMax,
    `postgres ledger: at most ${ledgerLimits.balancesPerCallMax} balances per call`,
  )
  if (ids.length === 0) return new Map()
  const rows = await sql<BalanceRow[]>`
    with expired as (
      select debit_account_id, credit_account_id, amount from ledger_transfers
      where state = 'PENDING' and expires_at <= coalesce(${now ?? null}::timestamptz, statement_timestamp())
        and (debit_account_id = any(${ids}::uuid[]) or credit_account_id = any(${ids}::uuid[]))
    )
    select a.id, a.debits_posted::text, a.credits_posted::text,
      (a.debits_pending - coalesce(
        (select sum(amount) from expired where debit_account_id = a.id), 0))::text
        as debits_pending,
      (a.credits_pending - coalesce(
        (select sum(amount) from expired where credit_account_id = a.id), 0))::text
        as credits_pending
    from ledger_accounts a where a.id = any(${ids}::uuid[])`
  return new Map(
    rows.map((row) => [
      row.id,
      {
        debitsPending: BigInt(row.debits_pending),
        debitsPosted: BigInt(row.debits_posted),
        creditsPending: BigInt(row.credits_pending),
        creditsPosted: BigInt(row.credits_posted),
      },
    ]),
  )
}

type TransferRow = {
  side: 'debit' | 'credit'
  id: string
  type: string
  debit_account_id: string
  credit_account_id: string
  amount: string
  ledger: number
  state: string
  pending_id: string | null
  expires_at: Date | null
  created_at: Date
}

export async function getAccountTransfers(
  sql: Sql,
  accountId: string,
  limit: number,
  now: Date | undefined,
): Promise<AccountTransfers> {
  assert(
    Number.isInteger(limit) && limit > 0 && limit <= ledgerLimits.accountTransfersLimitMax,
    `postgres ledger: limit must be 1 to ${ledgerLimits.accountTransfersLimitMax}`,
  )
  if (!isUuid(accountId)) return { debits: [], credits: [] }
  // Each side walks its (account, seq) index backwards and stops at limit.
  const rows = await sql<TransferRow[]>`
    select side, id, type, debit_account_id, credit_account_id, amount::text, ledger,
      case when state = 'EXPIRED' or (state = 'PENDING'
        and expires_at <= coalesce(${now ?? null}::timestamptz, statement_timestamp()))
        then 'VOIDED' else state end as state,
      pending_id, expires_at, created_at
    from (
      (select 'debit' as side, * from ledger_transfers where debit_account_id = ${accountId}
       order by seq desc limit ${limit})
      union all
      (select 'credit' as side, * from ledger_transfers where credit_account_id = ${accountId}
       order by seq desc limit ${limit})
    ) history
    order by side, seq desc`
  return {
    debits: rows.filter((row) => row.side === 'debit').map(toRecord),
    credits: rows.filter((row) => row.side === 'credit').map(toRecord),
  }
}

function toRecord(row: TransferRow): TransferRecord {
  assert(recordTypes.includes(row.type), `postgres ledger: transfer type ${row.type}`)
  assert(recordStates.includes(row.state), `postgres ledger: transfer state ${row.state}`)
  return {
    id: row.id,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: BigInt(row.amount),
    ledger: row.ledger,
    type: row.type as TransferRecord['type'],
    state: row.state as TransferRecord['state'],
    pendingId: row.pending_id,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  }
}

function assertAccount(account: LedgerAccount): void {
  assert(isUuid(account.id), `postgres ledger: account id ${account.id} is not a UUID`)
  assert(
    Number.isInteger(account.ledger) &&
      account.ledger > 0 &&
      account.ledger <= ledgerLimits.ledgerMax,
    `postgres ledger: ledger ${account.ledger} out of range`,
  )
  assert(accountKinds.includes(account.kind), `postgres ledger: unknown kind ${account.kind}`)
}
