import { describe, expect, it } from 'vitest'
import { makeRoutingTable } from './routing-table.ts'

describe('routing table', () => {
  const table = makeRoutingTable([
    { prefix: 'g.alice', target: 'alice' },
    { prefix: 'g.alice.eu', target: 'alice-eu' },
    { prefix: 'test.bob', target: 'bob' },
    { prefix: 'test.bob', target: 'second bob' },
  ])

  it('takes the longest matching prefix', () => {
    expect(table.lookup('g.alice.eu.x.y')).toBe('alice-eu')
    expect(table.lookup('g.alice.eu')).toBe('alice-eu')
    expect(table.lookup('g.alice.us.z')).toBe('alice')
    expect(table.lookup('g.alice')).toBe('alice')
  })

  it('matches only at segment boundaries', () => {
    expect(table.lookup('g.alicex')).toBeUndefined()
    expect(table.lookup('g.alice-eu.x')).toBeUndefined()
    expect(table.lookup('g')).toBeUndefined()
    expect(table.lookup('')).toBeUndefined()
  })

  it('keeps the first of two peers with one address', () => {
    expect(table.lookup('test.bob.1')).toBe('bob')
    expect(table.size).toBe(3)
  })
})
