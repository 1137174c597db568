// Double-entry accounts, one ledger per asset (TigerBeetle's model). Liquidity accounts are
// credit-normal and may never be overdrawn; the settlement account of each asset is their mirror
// image (debit-normal, its credits may never exceed its debits), so per ledger the sum of all
// balances is zero.

export const liquidityAccountKinds = [
  'ASSET',
  'PEER',
  'INCOMING',
  'OUTGOING',
  'WEB_MONETIZATION',
] as const

export type LiquidityAccountKind = (typeof liquidityAccountKinds)[number]
export type LedgerAccountKind = 'SETTLEMENT' | LiquidityAccountKind

export type LedgerAccount = {
  readonly id: string
  /** The asset's ledger number (assets.ledger). */
  readonly ledger: number
  readonly kind: LedgerAccountKind
}

/** Which side of an account may not outgrow the other (TigerBeetle's account flags). */
export type BalanceLimit = 'debits_must_not_exceed_credits' | 'credits_must_not_exceed_debits'

export const balanceLimitOf = (kind: LedgerAccountKind): BalanceLimit =>
  kind === 'SETTLEMENT' ? 'credits_must_not_exceed_debits' : 'debits_must_not_exceed_credits'

export type AccountBalance = {
  readonly debitsPending: bigint
  readonly debitsPosted: bigint
  readonly creditsPending: bigint
  readonly creditsPosted: bigint
}

export const zeroBalance: AccountBalance = {
  debitsPending: 0n,
  debitsPosted: 0n,
  creditsPending: 0n,
  creditsPosted: 0n,
}

/** What a liquidity account can still pay out: posted credits less posted and held debits. */
export const availableLiquidity = (balance: AccountBalance): bigint =>
  balance.creditsPosted - balance.debitsPosted - balance.debitsPending

/** Net posted balance of an account on its own normal side (credit side for liquidity). */
export const postedBalance = (kind: LedgerAccountKind, balance: AccountBalance): bigint =>
  kind === 'SETTLEMENT'
    ? balance.debitsPosted - balance.creditsPosted
    : balance.creditsPosted - balance.debitsPosted
