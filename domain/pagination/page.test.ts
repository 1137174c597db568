import { describe, expect, it } from 'vitest'
import { toPage, toPageRequest } from './page.ts'

const id = '0b8f5a36-7c2e-4e0c-9d6a-2f4a2b0f1c11'

describe('toPageRequest', () => {
  it('defaults to 20 newest-first', () => {
    expect(toPageRequest({})).toEqual({
      ok: true,
      value: { limit: 20, cursor: undefined, direction: 'forward', sortOrder: 'DESC' },
    })
  })

  it('walks backward from a before cursor', () => {
    const request = toPageRequest({ last: 5, before: id, sortOrder: 'ASC' })
    expect(request).toEqual({
      ok: true,
      value: { limit: 5, cursor: id, direction: 'backward', sortOrder: 'ASC' },
    })
  })

  it.each([
    [{ first: 101 }, 'invalid_page_size'],
    [{ first: 0 }, 'invalid_page_size'],
    [{ first: 2.5 }, 'invalid_page_size'],
    [{ last: 5 }, 'last_requires_before'],
    [{ first: 1, last: 1, before: id }, 'first_and_last'],
    [{ after: id, before: id }, 'after_and_before'],
    [{ after: 'not-a-cursor' }, 'invalid_cursor'],
  ])('refuses %j with %s', (args, error) => {
    expect(toPageRequest(args)).toEqual({ ok: false, error })
  })
})

describe('toPage', () => {
  it('reports a next page when one more row came back', () => {
    const request = {
      limit: 2,
      cursor: undefined,
      direction: 'forward',
      sortOrder: 'DESC',
    } as const
    expect(toPage([1, 2, 3], request)).toEqual({
      items: [1, 2],
      hasNextPage: true,
      hasPreviousPage: false,
    })
  })

  it('reverses rows walked backward into sort order', () => {
    const request = { limit: 2, cursor: id, direction: 'backward', sortOrder: 'DESC' } as const
    expect(toPage([3, 2], request)).toEqual({
      items: [2, 3],
      hasNextPage: true,
      hasPreviousPage: false,
    })
  })
})
