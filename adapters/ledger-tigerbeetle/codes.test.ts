import { AccountFlags, TransferFlags } from 'tigerbeetle-node'
import { describe, expect, it } from 'vitest'
import { liquidityAccountKinds, type LedgerAccountKind } from '../../domain/ledger/account.ts'
import {
  accountCodeOf,
  accountFlagsOf,
  accountKindOfCode,
  transferFlagsOf,
  transferTypeOfFlags,
} from './codes.ts'

const kinds: readonly LedgerAccountKind[] = ['SETTLEMENT', ...liquidityAccountKinds]

describe('account codes', () => {
  it('keeps the stored table: SETTLEMENT 1, ASSET 2, PEER 3, INCOMING 4, OUTGOING 5, WM 6', () => {
    expect(accountCodeOf).toEqual({
      SETTLEMENT: 1,
      ASSET: 2,
      PEER: 3,
      INCOMING: 4,
      OUTGOING: 5,
      WEB_MONETIZATION: 6,
    })
  })

  it('gives every kind its own nonzero code, and reads it back', () => {
    const codes = kinds.map((kind) => accountCodeOf[kind])
    expect(new Set(codes).size).toBe(kinds.length)
    expect(codes.every((code) => code > 0)).toBe(true)
    for (const kind of kinds) expect(accountKindOfCode(accountCodeOf[kind])).toBe(kind)
    expect(accountKindOfCode(0)).toBeUndefined()
    expect(accountKindOfCode(99)).toBeUndefined()
  })

  it('keeps liquidity accounts from being overdrawn and mirrors that for settlement', () => {
    for (const kind of liquidityAccountKinds) {
      expect(accountFlagsOf(kind)).toBe(AccountFlags.debits_must_not_exceed_credits)
    }
    expect(accountFlagsOf('SETTLEMENT')).toBe(AccountFlags.credits_must_not_exceed_debits)
  })
})

describe('transfer flags', () => {
  it('maps each request type to its flag and back', () => {
    expect(transferFlagsOf).toEqual({
      single: TransferFlags.none,
      pending: TransferFlags.pending,
      post: TransferFlags.post_pending_transfer,
      void: TransferFlags.void_pending_transfer,
    })
    for (const [type, flags] of Object.entries(transferFlagsOf)) {
      expect(transferTypeOfFlags(flags)).toBe(type)
      expect(transferTypeOfFlags(flags | TransferFlags.linked)).toBe(type)
    }
  })
})
