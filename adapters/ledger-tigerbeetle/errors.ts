// What every status of this tigerbeetle-node version means to us. The tables are keyed by the
// library's enum names with `satisfies`, so a status added by an upgrade fails the type check
// until someone decides what it means. 'bug' marks what only a mistake of ours can cause (we never
// set timestamps, reserved fields, imported or closing flags, zero ids or codes): an assertion.
import { CreateAccountStatus, CreateTransferStatus } from 'tigerbeetle-node'
import type { TransferError } from '../../domain/ledger/transfer.ts'
import { assert } from '../../domain/shared/assert.ts'

export type TransferStatusMeaning =
  | 'created'
  /** Already applied with the same fields: a retry. */
  | 'exists'
  /** Not applied because another event of its chain failed; that one carries the reason. */
  | 'linked_event_failed'
  | TransferError
  | 'bug'

export const transferStatusMeaning = {
  created: 'created',
  exists: 'exists',
  linked_event_failed: 'linked_event_failed',
  exists_with_different_flags: 'exists_with_different_fields',
  exists_with_different_pending_id: 'exists_with_different_fields',
  exists_with_different_timeout: 'exists_with_different_fields',
  exists_with_different_debit_account_id: 'exists_with_different_fields',
  exists_with_different_credit_account_id: 'exists_with_different_fields',
  exists_with_different_amount: 'exists_with_different_fields',
  exists_with_different_user_data_128: 'exists_with_different_fields',
  exists_with_different_user_data_64: 'exists_with_different_fields',
  exists_with_different_user_data_32: 'exists_with_different_fields',
  exists_with_different_ledger: 'exists_with_different_fields',
  exists_with_different_code: 'exists_with_different_fields',
  // The id was spent by an attempt that failed on the state of the day (an unknown account, too
  // little balance, ...). TigerBeetle never lets that id succeed later, so it is taken, not free.
  id_already_failed: 'exists_with_different_fields',
  exceeds_credits: 'insufficient_balance',
  exceeds_debits: 'insufficient_balance',
  debit_account_not_found: 'unknown_account',
  credit_account_not_found: 'unknown_account',
  accounts_must_have_the_same_ledger: 'different_ledgers',
  transfer_must_have_the_same_ledger_as_accounts: 'different_ledgers',
  // No account lives on ledger 0 (createAccounts asserts it), so the transfer's ledger is not theirs.
  ledger_must_not_be_zero: 'different_ledgers',
  accounts_must_be_different: 'same_account',
  pending_transfer_not_found: 'unknown_pending_transfer',
  // The id names a transfer, but not a pending one: there is no pending transfer to settle.
  pending_transfer_not_pending: 'unknown_pending_transfer',
  // A post or void naming itself as the transfer it settles.
  pending_id_must_be_different: 'invalid_id',
  pending_transfer_already_posted: 'already_posted',
  pending_transfer_already_voided: 'already_voided',
  pending_transfer_expired: 'expired',
  linked_event_chain_open: 'bug',
  imported_event_expected: 'bug',
  imported_event_not_expected: 'bug',
  timestamp_must_be_zero: 'bug',
  imported_event_timestamp_out_of_range: 'bug',
  imported_event_timestamp_must_not_advance: 'bug',
  imported_event_timestamp_must_not_regress: 'bug',
  imported_event_timestamp_must_postdate_debit_account: 'bug',
  imported_event_timestamp_must_postdate_credit_account: 'bug',
  imported_event_timeout_must_be_zero: 'bug',
  reserved_flag: 'bug',
  id_must_not_be_zero: 'bug',
  id_must_not_be_int_max: 'bug',
  flags_are_mutually_exclusive: 'bug',
  debit_account_id_must_not_be_zero: 'bug',
  debit_account_id_must_not_be_int_max: 'bug',
  credit_account_id_must_not_be_zero: 'bug',
  credit_account_id_must_not_be_int_max: 'bug',
  pending_id_must_be_zero: 'bug',
  pending_id_must_not_be_zero: 'bug',
  pending_id_must_not_be_int_max: 'bug',
  timeout_reserved_for_pending_transfer: 'bug',
  closing_transfer_must_be_pending: 'bug',
  code_must_not_be_zero: 'bug',
  // Posts ask for amount_max (the whole hold) and voids for 0, so these cannot follow.
  pending_transfer_has_different_debit_account_id: 'bug',
  pending_transfer_has_different_credit_account_id: 'bug',
  pending_transfer_has_different_ledger: 'bug',
  pending_transfer_has_different_code: 'bug',
  exceeds_pending_transfer_amount: 'bug',
  pending_transfer_has_different_amount: 'bug',
  // We never close accounts.
  debit_account_already_closed: 'bug',
  credit_account_already_closed: 'bug',
  // Amounts are u64 and balances u128: 2^64 maximal transfers would be needed, and timeouts are u32
  // seconds, far from overflowing a u64 nanosecond clock.
  overflows_debits_pending: 'bug',
  overflows_credits_pending: 'bug',
  overflows_debits_posted: 'bug',
  overflows_credits_posted: 'bug',
  overflows_debits: 'bug',
  overflows_credits: 'bug',
  overflows_timeout: 'bug',
} as const satisfies Record<keyof typeof CreateTransferStatus, TransferStatusMeaning>

export type AccountStatusMeaning = 'created' | 'exists' | 'exists_with_different_fields' | 'bug'

export const accountStatusMeaning = {
  created: 'created',
  exists: 'exists',
  exists_with_different_flags: 'exists_with_different_fields',
  exists_with_different_user_data_128: 'exists_with_different_fields',
  exists_with_different_user_data_64: 'exists_with_different_fields',
  exists_with_different_user_data_32: 'exists_with_different_fields',
  exists_with_different_ledger: 'exists_with_different_fields',
  exists_with_different_code: 'exists_with_different_fields',
  // Accounts are created unlinked, so no chain can fail or stay open.
  linked_event_failed: 'bug',
  linked_event_chain_open: 'bug',
  imported_event_expected: 'bug',
  imported_event_not_expected: 'bug',
  timestamp_must_be_zero: 'bug',
  imported_event_timestamp_out_of_range: 'bug',
  imported_event_timestamp_must_not_advance: 'bug',
  imported_event_timestamp_must_not_regress: 'bug',
  reserved_field: 'bug',
  reserved_flag: 'bug',
  id_must_not_be_zero: 'bug',
  id_must_not_be_int_max: 'bug',
  flags_are_mutually_exclusive: 'bug',
  debits_pending_must_be_zero: 'bug',
  debits_posted_must_be_zero: 'bug',
  credits_pending_must_be_zero: 'bug',
  credits_posted_must_be_zero: 'bug',
  ledger_must_not_be_zero: 'bug',
  code_must_not_be_zero: 'bug',
} as const satisfies Record<keyof typeof CreateAccountStatus, AccountStatusMeaning>

// The wire carries numbers; the tables above are keyed by name for readability and review.
const byValue = <Name extends string, Meaning>(
  names: Readonly<Record<Name, number>>,
  meanings: Readonly<Record<Name, Meaning>>,
): ReadonlyMap<number, { readonly name: Name; readonly meaning: Meaning }> =>
  new Map(
    (Object.keys(meanings) as Name[]).map((name) => [
      names[name],
      { name, meaning: meanings[name] },
    ]),
  )

const transferStatuses = byValue(CreateTransferStatus, transferStatusMeaning)
const accountStatuses = byValue(CreateAccountStatus, accountStatusMeaning)

export function transferStatusName(status: number): string {
  return transferStatuses.get(status)?.name ?? `unknown status ${status}`
}

export type ChainOutcome =
  | { readonly kind: 'created' }
  /** The event at `index` had been applied before; the rest of the chain was not applied. */
  | { readonly kind: 'exists'; readonly index: number }
  | {
      readonly kind: 'failed'
      readonly index: number
      readonly error: TransferError
      /** TigerBeetle's own status, for the cases that need a closer look. */
      readonly status: number
    }

/**
 * Reads the statuses of one linked chain. TigerBeetle gives the event that broke the chain its
 * own status and every other event of the chain `linked_event_failed`, before and after it.
 */
export function chainOutcome(statuses: readonly number[]): ChainOutcome {
  assert(statuses.length > 0, 'an empty chain has no outcome')
  const meanings = statuses.map((status, index) => {
    const known = transferStatuses.get(status)
    assert(known !== undefined, `TigerBeetle answered transfer ${index} with ${status}`)
    return known.meaning
  })
  if (meanings.every((meaning) => meaning === 'created')) return { kind: 'created' }
  assert(!meanings.includes('created'), `a linked chain was applied in part: ${statuses}`)
  const index = meanings.findIndex((meaning) => meaning !== 'linked_event_failed')
  const meaning = meanings[index]
  assert(
    meaning !== undefined && meaning !== 'linked_event_failed' && meaning !== 'created',
    `a linked chain failed without a failing event: ${statuses}`,
  )
  assert(
    meaning !== 'bug',
    `TigerBeetle refused transfer ${index} of a chain with ${transferStatusName(statuses[index] ?? 0)}: we built it wrong`,
  )
  if (meaning === 'exists') return { kind: 'exists', index }
  return { kind: 'failed', index, error: meaning, status: statuses[index] ?? 0 }
}

/** created, exists, or exists_with_different_fields; anything else is our mistake. */
export function accountStatusOutcome(
  status: number,
  index: number,
): 'created' | 'exists' | 'exists_with_different_fields' {
  const known = accountStatuses.get(status)
  assert(known !== undefined, `TigerBeetle answered account ${index} with ${status}`)
  assert(
    known.meaning !== 'bug',
    `TigerBeetle refused account ${index} with ${known.name}: we built it wrong`,
  )
  return known.meaning
}
