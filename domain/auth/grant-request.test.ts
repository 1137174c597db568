import { describe, expect, it } from 'vitest'
import type { AccessItem } from '../open-payments/access.ts'
import { needsInteraction, validateAccessItems, type InteractionPolicy } from './grant-request.ts'
import { finishHashInput, isInteractionExpired, type Interaction } from './interaction.ts'
import type { Grant } from './grant.ts'

const alice = 'https://w.example/alice'
const amount = { value: 500n, assetCode: 'USD', assetScale: 2 }
const outgoing = (limits?: AccessItem['limits']): AccessItem => ({
  type: 'outgoing-payment',
  actions: ['create', 'read'],
  identifier: alice,
  ...(limits && { limits }),
})
const error = (items: AccessItem[]) => {
  const result = validateAccessItems(items)
  return result.ok ? 'ok' : result.error
}

describe('validateAccessItems', () => {
  it('accepts the actions COMPAT lists for each type', () => {
    expect(
      error([
        { type: 'incoming-payment', actions: ['create', 'complete', 'read', 'list-all'] },
        { type: 'quote', actions: ['create', 'read', 'read-all'] },
        outgoing({ receiver: `${alice}/incoming-payments/1`, debitAmount: amount }),
      ]),
    ).toBe('ok')
  })

  it('refuses actions a type does not have, empty or repeated ones', () => {
    expect(error([{ type: 'quote', actions: ['list'] }])).toBe('unknown_action')
    expect(error([{ type: 'outgoing-payment', actions: ['complete'], identifier: alice }])).toBe(
      'unknown_action',
    )
    expect(error([{ type: 'quote', actions: [] }])).toBe('unknown_action')
    expect(error([{ type: 'quote', actions: ['read', 'read'] }])).toBe('duplicate_action')
    expect(error([])).toBe('no_access')
  })

  it('needs an identifier on outgoing-payment and limits only there', () => {
    expect(error([{ type: 'outgoing-payment', actions: ['create'] }])).toBe('identifier_required')
    expect(error([{ type: 'quote', actions: ['create'], limits: { debitAmount: amount } }])).toBe(
      'limits_not_allowed',
    )
  })

  it('checks the limits shape', () => {
    expect(error([outgoing({ debitAmount: amount, receiveAmount: amount })])).toBe(
      'both_amount_limits',
    )
    expect(error([outgoing({ debitAmount: { ...amount, value: 0n } })])).toBe(
      'invalid_limit_amount',
    )
    expect(error([outgoing({ receiveAmount: { ...amount, value: 2n ** 64n } })])).toBe(
      'invalid_limit_amount',
    )
    expect(error([outgoing({ interval: 'P1M' })])).toBe('invalid_interval')
    expect(error([outgoing({ debitAmount: amount, interval: 'R/2025-01-01T00:00:00Z/P1M' })])).toBe(
      'ok',
    )
  })
})

describe('needsInteraction', () => {
  const lenient: InteractionPolicy = {
    incomingPaymentInteraction: false,
    quoteInteraction: false,
    listAllAccessInteraction: false,
  }
  const incoming: AccessItem = { type: 'incoming-payment', actions: ['create', 'read'] }
  const quote: AccessItem = { type: 'quote', actions: ['create'] }

  it('always for outgoing-payment, per flag for the others', () => {
    expect(needsInteraction([incoming, quote], lenient)).toBe(false)
    expect(needsInteraction([incoming, outgoing()], lenient)).toBe(true)
    expect(needsInteraction([incoming], { ...lenient, incomingPaymentInteraction: true })).toBe(
      true,
    )
    expect(needsInteraction([quote], { ...lenient, quoteInteraction: true })).toBe(true)
    expect(needsInteraction([incoming], { ...lenient, quoteInteraction: true })).toBe(false)
  })

  it('for list-all when LIST_ALL_ACCESS_INTERACTION is on', () => {
    const listAll: AccessItem = { type: 'incoming-payment', actions: ['list-all'] }
    expect(needsInteraction([listAll], lenient)).toBe(false)
    expect(needsInteraction([listAll], { ...lenient, listAllAccessInteraction: true })).toBe(true)
  })
})

describe('interaction', () => {
  const at = new Date(Date.UTC(2025, 0, 1))
  const interaction: Interaction = {
    id: 'i1',
    grantId: 'g1',
    nonce: 'N2',
    ref: 'REF',
    state: 'PENDING',
    expiresInSeconds: 600,
    createdAt: at,
  }
  const grant = {
    interact: {
      start: ['redirect'],
      finish: { method: 'redirect', uri: 'https://c/x', nonce: 'N1' },
    },
  } as unknown as Grant

  it('builds the finish hash input as Rafiki does', () => {
    expect(finishHashInput(grant, interaction, 'https://auth.example/')).toBe(
      'N1\nN2\nREF\nhttps://auth.example/',
    )
    expect(finishHashInput(grant, interaction, 'https://auth.example')).toBe(
      'N1\nN2\nREF\nhttps://auth.example/',
    )
    expect(finishHashInput({ ...grant, interact: { start: ['redirect'] } }, interaction, 'x')).toBe(
      undefined,
    )
  })

  it('expires after its expiry seconds', () => {
    expect(isInteractionExpired(interaction, at.getTime() + 599_999)).toBe(false)
    expect(isInteractionExpired(interaction, at.getTime() + 600_000)).toBe(true)
  })
})
