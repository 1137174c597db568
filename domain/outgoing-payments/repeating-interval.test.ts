import { describe, expect, it } from 'vitest'
import { repeatingIntervalAt } from './repeating-interval.ts'

const at = (iso: string) => new Date(iso)
const period = (repeating: string, iso: string) => {
  const found = repeatingIntervalAt(repeating, at(iso))
  return found && [found.start.toISOString(), found.end.toISOString()]
}

describe('repeatingIntervalAt', () => {
  it('finds the hour of an unbounded hourly interval, start inclusive and end exclusive', () => {
    const hourly = 'R/2020-01-01T00:00:00Z/PT1H'
    expect(period(hourly, '2020-01-01T00:00:00Z')).toEqual([
      '2020-01-01T00:00:00.000Z',
      '2020-01-01T01:00:00.000Z',
    ])
    expect(period(hourly, '2020-01-01T05:59:59.999Z')).toEqual([
      '2020-01-01T05:00:00.000Z',
      '2020-01-01T06:00:00.000Z',
    ])
    expect(period(hourly, '2020-01-01T06:00:00Z')?.[0]).toBe('2020-01-01T06:00:00.000Z')
    // Years later: jumped to, not stepped to.
    expect(period(hourly, '2026-03-04T10:20:30Z')).toEqual([
      '2026-03-04T10:00:00.000Z',
      '2026-03-04T11:00:00.000Z',
    ])
    expect(period(hourly, '2019-12-31T23:59:59Z')).toBeUndefined()
  })

  it('counts Rn as the first interval and n more, as Rafiki', () => {
    expect(period('R2/2020-01-01T00:00:00Z/PT1H', '2020-01-01T02:30:00Z')?.[0]).toBe(
      '2020-01-01T02:00:00.000Z',
    )
    expect(period('R2/2020-01-01T00:00:00Z/PT1H', '2020-01-01T03:00:00Z')).toBeUndefined()
    expect(period('R0/2020-01-01T00:00:00Z/PT1H', '2020-01-01T01:00:00Z')).toBeUndefined()
    expect(period('R-1/2020-01-01T00:00:00Z/P1D', '2020-02-01T12:00:00Z')?.[0]).toBe(
      '2020-02-01T00:00:00.000Z',
    )
  })

  it('steps months from the previous end, clamping the day as luxon does', () => {
    // Jan 31 + 1 month = Feb 29 (2020), + 1 month = Mar 29.
    expect(period('R/2020-01-31T00:00:00Z/P1M', '2020-03-15T00:00:00Z')).toEqual([
      '2020-02-29T00:00:00.000Z',
      '2020-03-29T00:00:00.000Z',
    ])
    expect(period('R/2020-01-01T00:00:00Z/P1Y2M', '2021-04-01T00:00:00Z')).toEqual([
      '2021-03-01T00:00:00.000Z',
      '2022-05-01T00:00:00.000Z',
    ])
  })

  it('walks backwards from the end of a duration/end interval', () => {
    expect(period('R/P1D/2020-01-10T00:00:00Z', '2020-01-05T12:00:00Z')).toEqual([
      '2020-01-05T00:00:00.000Z',
      '2020-01-06T00:00:00.000Z',
    ])
    expect(period('R/P1D/2020-01-10T00:00:00Z', '2020-01-09T00:00:00Z')?.[0]).toBe(
      '2020-01-09T00:00:00.000Z',
    )
    expect(period('R/P1D/2020-01-10T00:00:00Z', '2020-01-10T00:00:00Z')).toBeUndefined()
    expect(period('R/P1M/2020-03-31T00:00:00Z', '2020-02-15T00:00:00Z')).toEqual([
      '2020-01-29T00:00:00.000Z',
      '2020-02-29T00:00:00.000Z',
    ])
  })

  it('repeats a start/end interval by its length', () => {
    expect(period('R/2020-01-01T00:00:00Z/2020-01-01T02:00:00Z', '2020-01-01T05:00:00Z')).toEqual([
      '2020-01-01T04:00:00.000Z',
      '2020-01-01T06:00:00.000Z',
    ])
  })

  it('reads dates without an offset as UTC, weeks and clock components', () => {
    expect(period('R/2020-01-01T00:00/P1W', '2020-01-09T00:00:00Z')?.[0]).toBe(
      '2020-01-08T00:00:00.000Z',
    )
    expect(period('R/2020-01-01T00:00:00+02:00/PT1H30M', '2020-01-01T00:00:00Z')).toEqual([
      '2019-12-31T23:30:00.000Z',
      '2020-01-01T01:00:00.000Z',
    ])
  })

  it('finds nothing in text that is not a repeating interval', () => {
    for (const text of [
      '2020-01-01T00:00:00Z/PT1H',
      'X/2020-01-01T00:00:00Z/PT1H',
      'R/P1D/P1D',
      'R/2020-01-01T00:00:00Z/P',
      'R/2020-01-01T00:00:00Z/PT',
      'R/2020-01-01T00:00:00Z/PT0S',
      'R/2020-01-01T02:00:00Z/2020-01-01T01:00:00Z',
      'R/yesterday/PT1H',
    ]) {
      expect(repeatingIntervalAt(text, at('2020-01-01T00:30:00Z')), text).toBeUndefined()
    }
  })
})
