// Open Payments access rights as a grant's access token carries them (auth-server OpenAPI
// `access-item`), and the rule a resource server applies to decide whether a token covers a
// request.

export const accessTypes = ['incoming-payment', 'outgoing-payment', 'quote'] as const
export type AccessType = (typeof accessTypes)[number]

export const accessActions = ['create', 'complete', 'read', 'read-all', 'list', 'list-all'] as const
export type AccessAction = (typeof accessActions)[number]

/** What a request does; the `-all` actions exist only on grants, never on requests. */
export type RequestAction = 'create' | 'complete' | 'read' | 'list'

/** Actions each access type may carry (auth-server OpenAPI access-incoming/outgoing/quote). */
export const actionsByType = {
  'incoming-payment': ['create', 'complete', 'read', 'read-all', 'list', 'list-all'],
  'outgoing-payment': ['create', 'read', 'read-all', 'list', 'list-all'],
  quote: ['create', 'read', 'read-all'],
} as const satisfies Record<AccessType, readonly AccessAction[]>

export type LimitAmount = {
  /** Unsigned 64-bit. */
  readonly value: bigint
  readonly assetCode: string
  readonly assetScale: number
}

/** Outgoing-payment limits; amounts are maxima per interval (or in total without one). */
export type AccessLimits = {
  /** URL of the one incoming payment that may be paid. */
  readonly receiver?: string
  readonly debitAmount?: LimitAmount
  readonly receiveAmount?: LimitAmount
  /** ISO 8601 repeating interval, e.g. `R12/2019-08-24T14:15:22Z/P1M`. */
  readonly interval?: string
}

export type AccessItem = {
  readonly type: AccessType
  readonly actions: readonly AccessAction[]
  /** The wallet address URL the access is bound to; absent means any. */
  readonly identifier?: string
  readonly limits?: AccessLimits
}

/** The access one request needs: its resource type, its action, and the wallet address it acts on. */
export type RequiredAccess = {
  readonly type: AccessType
  readonly action: RequestAction
  /**
   * Wallet address URL of the resource; absent for a request about the grant itself (GET
   * /outgoing-payment-grant), which any item of the type with the action covers.
   */
  readonly identifier?: string
}

export type AccessMatch = {
  /** The item that grants the access (its limits apply to the request). */
  readonly item: AccessItem
  /**
   * True when the client may touch only resources it created itself: the grant says `read` or
   * `list`, not `read-all` or `list-all`.
   */
  readonly restrictedToClient: boolean
}

/**
 * The item of `items` that covers `required`, or undefined when none does. `read-all` covers
 * `read` and `list-all` covers `list` for every client's resources; `read` and `list` cover only
 * the client's own; `create` and `complete` must be granted as such. An item bound to a wallet
 * address (identifier) covers only that one. When several items cover the request, one without
 * the own-resources restriction wins.
 */
export function findAccess(
  items: readonly AccessItem[],
  required: RequiredAccess,
): AccessMatch | undefined {
  let restricted: AccessMatch | undefined
  for (const item of items) {
    const coverage = coverageOf(item, required)
    if (coverage === 'all') return { item, restrictedToClient: false }
    if (coverage === 'own') restricted ??= { item, restrictedToClient: true }
  }
  return restricted
}

type Coverage = 'none' | 'own' | 'all'

function coverageOf(item: AccessItem, required: RequiredAccess): Coverage {
  if (item.type !== required.type) return 'none'
  if (!identifierMatches(item, required.identifier)) return 'none'
  const { action } = required
  switch (action) {
    case 'create':
    case 'complete':
      return item.actions.includes(action) ? 'all' : 'none'
    case 'read':
      return widest(item, 'read', 'read-all')
    case 'list':
      return widest(item, 'list', 'list-all')
  }
}

function widest(item: AccessItem, own: AccessAction, all: AccessAction): Coverage {
  if (item.actions.includes(all)) return 'all'
  return item.actions.includes(own) ? 'own' : 'none'
}

// Outgoing-payment access moves money out of one wallet address, so the spec makes its identifier
// required; an item without one is treated as covering nothing rather than every address.
function identifierMatches(item: AccessItem, walletAddressUrl: string | undefined): boolean {
  if (item.identifier === undefined) return item.type !== 'outgoing-payment'
  return walletAddressUrl === undefined || item.identifier === walletAddressUrl
}
