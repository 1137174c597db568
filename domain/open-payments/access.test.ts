import { describe, expect, it } from 'vitest'
import {
  findAccess,
  type AccessAction,
  type AccessItem,
  type AccessType,
  type RequestAction,
  type RequiredAccess,
} from './access.ts'

const alice = 'https://wallet.example/alice'
const bob = 'https://wallet.example/bob'

const item = (
  type: AccessType,
  actions: readonly AccessAction[],
  // null, not undefined, means "no identifier": undefined would pick the default.
  identifier: string | null = alice,
): AccessItem => (identifier === null ? { type, actions } : { type, actions, identifier })

const need = (
  type: AccessType,
  action: RequestAction,
  identifier: string = alice,
): RequiredAccess => ({ type, action, identifier })

describe('findAccess', () => {
  it.each([
    ['read', ['read'], true],
    ['read', ['read-all'], false],
    ['read', ['read', 'read-all'], false],
    ['list', ['list'], true],
    ['list', ['list-all'], false],
    ['list', ['list-all', 'list'], false],
  ] as const)('%s is covered by %j (restricted to own: %s)', (action, actions, restricted) => {
    const granted = item('incoming-payment', actions)
    expect(findAccess([granted], need('incoming-payment', action))).toEqual({
      item: granted,
      restrictedToClient: restricted,
    })
  })

  it.each([
    ['read', ['list', 'list-all', 'create', 'complete']],
    ['list', ['read', 'read-all', 'create', 'complete']],
    ['create', ['read', 'read-all', 'list', 'list-all', 'complete']],
    ['complete', ['read', 'read-all', 'list', 'list-all', 'create']],
  ] as const)('%s is not covered by %j', (action, actions) => {
    expect(findAccess([item('incoming-payment', actions)], need('incoming-payment', action))).toBe(
      undefined,
    )
  })

  it.each(['create', 'complete'] as const)('%s must be granted exactly, for all resources', (a) => {
    const granted = item('incoming-payment', [a])
    expect(findAccess([granted], need('incoming-payment', a))).toEqual({
      item: granted,
      restrictedToClient: false,
    })
  })

  it('requires the same access type', () => {
    const all: AccessAction[] = ['create', 'complete', 'read', 'read-all', 'list', 'list-all']
    expect(findAccess([item('incoming-payment', all)], need('quote', 'read'))).toBe(undefined)
    expect(findAccess([item('quote', all)], need('outgoing-payment', 'create'))).toBe(undefined)
    expect(findAccess([item('outgoing-payment', all)], need('incoming-payment', 'list'))).toBe(
      undefined,
    )
  })

  it('requires the identifier to be the wallet address when the item has one', () => {
    const granted = item('incoming-payment', ['read-all'], alice)
    expect(findAccess([granted], need('incoming-payment', 'read', bob))).toBe(undefined)
    // No normalisation: the auth server stores the identifier the client asked for.
    expect(findAccess([granted], need('incoming-payment', 'read', `${alice}/`))).toBe(undefined)
    expect(findAccess([granted], need('incoming-payment', 'read', alice))?.item).toBe(granted)
  })

  it('lets an item without identifier cover any wallet address, except outgoing payments', () => {
    const incoming = item('incoming-payment', ['create'], null)
    const quote = item('quote', ['create'], null)
    const outgoing = item('outgoing-payment', ['create', 'read-all'], null)
    expect(findAccess([incoming], need('incoming-payment', 'create', bob))?.item).toBe(incoming)
    expect(findAccess([quote], need('quote', 'create', bob))?.item).toBe(quote)
    expect(findAccess([outgoing], need('outgoing-payment', 'create', bob))).toBe(undefined)
    expect(findAccess([outgoing], need('outgoing-payment', 'read', bob))).toBe(undefined)
  })

  it('prefers an item that reaches every resource over one restricted to own', () => {
    const own = item('outgoing-payment', ['read'])
    const all = item('outgoing-payment', ['read-all'])
    expect(findAccess([own, all], need('outgoing-payment', 'read'))).toEqual({
      item: all,
      restrictedToClient: false,
    })
    expect(findAccess([all, own], need('outgoing-payment', 'read'))?.item).toBe(all)
  })

  it('returns the first covering item, with its limits', () => {
    const limits = {
      receiver: `${bob}/incoming-payments/1`,
      debitAmount: { value: 500n, assetCode: 'USD', assetScale: 2 },
      interval: 'R12/2019-08-24T14:15:22Z/P1M',
    }
    const first: AccessItem = { type: 'outgoing-payment', actions: ['create'], identifier: alice }
    const second: AccessItem = { ...first, limits }
    const other = item('outgoing-payment', ['create'], bob)
    expect(findAccess([other, second, first], need('outgoing-payment', 'create'))).toEqual({
      item: second,
      restrictedToClient: false,
    })
  })

  it('finds nothing in an empty grant', () => {
    expect(findAccess([], need('quote', 'create'))).toBe(undefined)
  })

  it('skips items for other wallet addresses and types before finding a match', () => {
    const items = [
      item('quote', ['read-all']),
      item('incoming-payment', ['read-all'], bob),
      item('incoming-payment', ['read']),
    ]
    expect(findAccess(items, need('incoming-payment', 'read'))).toEqual({
      item: items[2],
      restrictedToClient: true,
    })
  })

  it('covers a request without a wallet address (the grant itself) by any item with the action', () => {
    const limits = { debitAmount: { value: 1n, assetCode: 'USD', assetScale: 2 } }
    const payment = { ...item('outgoing-payment', ['create'], bob), limits }
    const grantItself = { type: 'outgoing-payment', action: 'create' } as const
    expect(findAccess([item('outgoing-payment', ['read']), payment], grantItself)).toEqual({
      item: payment,
      restrictedToClient: false,
    })
    // An outgoing-payment item still needs an identifier, and the action must be granted.
    expect(findAccess([item('outgoing-payment', ['create'], null)], grantItself)).toBe(undefined)
    expect(findAccess([item('outgoing-payment', ['read'], bob)], grantItself)).toBe(undefined)
  })
})
