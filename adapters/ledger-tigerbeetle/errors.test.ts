import { CreateAccountStatus, CreateTransferStatus } from 'tigerbeetle-node'
import { describe, expect, it } from 'vitest'
import {
  accountStatusMeaning,
  accountStatusOutcome,
  chainOutcome,
  transferStatusMeaning,
  transferStatusName,
} from './errors.ts'

// The names of a numeric TypeScript enum: its keys that are not reverse-mapped numbers.
const namesOf = (enumObject: object): string[] =>
  Object.keys(enumObject).filter((key) => Number.isNaN(Number(key)))

const S = CreateTransferStatus

describe('transfer status table', () => {
  it('covers every CreateTransferStatus of this tigerbeetle-node, and nothing else', () => {
    expect(Object.keys(transferStatusMeaning).sort()).toEqual(namesOf(S).sort())
  })

  it('maps the statuses the port cares about', () => {
    expect(transferStatusMeaning).toMatchObject({
      created: 'created',
      exists: 'exists',
      linked_event_failed: 'linked_event_failed',
      exists_with_different_amount: 'exists_with_different_fields',
      exists_with_different_flags: 'exists_with_different_fields',
      exists_with_different_debit_account_id: 'exists_with_different_fields',
      exists_with_different_timeout: 'exists_with_different_fields',
      exists_with_different_ledger: 'exists_with_different_fields',
      id_already_failed: 'exists_with_different_fields',
      exceeds_credits: 'insufficient_balance',
      exceeds_debits: 'insufficient_balance',
      debit_account_not_found: 'unknown_account',
      credit_account_not_found: 'unknown_account',
      accounts_must_have_the_same_ledger: 'different_ledgers',
      transfer_must_have_the_same_ledger_as_accounts: 'different_ledgers',
      accounts_must_be_different: 'same_account',
      pending_transfer_not_found: 'unknown_pending_transfer',
      pending_transfer_already_posted: 'already_posted',
      pending_transfer_already_voided: 'already_voided',
      pending_transfer_expired: 'expired',
      id_must_not_be_zero: 'bug',
      timestamp_must_be_zero: 'bug',
      reserved_flag: 'bug',
      linked_event_chain_open: 'bug',
    })
  })

  it('names statuses for messages', () => {
    expect(transferStatusName(S.exceeds_credits)).toBe('exceeds_credits')
    expect(transferStatusName(12_345)).toBe('unknown status 12345')
  })
})

describe('chainOutcome', () => {
  it('is created when every event was created', () => {
    expect(chainOutcome([S.created, S.created])).toEqual({ kind: 'created' })
  })

  it('reports the event that broke the chain, not the ones it took down', () => {
    expect(chainOutcome([S.linked_event_failed, S.exceeds_credits, S.linked_event_failed])).toEqual(
      { kind: 'failed', index: 1, error: 'insufficient_balance', status: S.exceeds_credits },
    )
    expect(chainOutcome([S.pending_transfer_expired])).toMatchObject({ index: 0, error: 'expired' })
  })

  it('reports an event that exists with the same fields as exists', () => {
    expect(chainOutcome([S.exists, S.linked_event_failed])).toEqual({ kind: 'exists', index: 0 })
  })

  it('asserts on statuses only our mistakes cause, naming them', () => {
    expect(() => chainOutcome([S.linked_event_failed, S.id_must_not_be_zero])).toThrow(
      /transfer 1 .*id_must_not_be_zero/,
    )
  })

  it('asserts on replies that cannot be: unknown codes, half-applied or causeless chains', () => {
    expect(() => chainOutcome([9_999])).toThrow(/9999/)
    expect(() => chainOutcome([S.created, S.exceeds_credits])).toThrow(/in part/)
    expect(() => chainOutcome([S.linked_event_failed, S.linked_event_failed])).toThrow(/without/)
    expect(() => chainOutcome([])).toThrow(/empty/)
  })
})

describe('account status table', () => {
  it('covers every CreateAccountStatus of this tigerbeetle-node, and nothing else', () => {
    expect(Object.keys(accountStatusMeaning).sort()).toEqual(namesOf(CreateAccountStatus).sort())
  })

  it('accepts existing accounts, refuses different ones, asserts on our mistakes', () => {
    const A = CreateAccountStatus
    expect(accountStatusOutcome(A.created, 0)).toBe('created')
    expect(accountStatusOutcome(A.exists, 0)).toBe('exists')
    for (const status of [
      A.exists_with_different_flags,
      A.exists_with_different_ledger,
      A.exists_with_different_code,
      A.exists_with_different_user_data_128,
    ]) {
      expect(accountStatusOutcome(status, 0)).toBe('exists_with_different_fields')
    }
    expect(() => accountStatusOutcome(A.ledger_must_not_be_zero, 3)).toThrow(
      /account 3 .*ledger_must_not_be_zero/,
    )
    expect(() => accountStatusOutcome(9_999, 0)).toThrow(/9999/)
  })
})
