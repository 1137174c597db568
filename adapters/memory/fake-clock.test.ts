import { describe, expect, it } from 'vitest'
import { makeFakeClock } from './fake-clock.ts'

describe('fake clock', () => {
  it('stands still until advanced or set', () => {
    const clock = makeFakeClock(1_000)
    expect(clock.now()).toBe(1_000)
    clock.advance(250)
    expect(clock.now()).toBe(1_250)
    clock.set(500)
    expect(clock.now()).toBe(500)
  })

  it('refuses to move backwards through advance', () => {
    expect(() => makeFakeClock().advance(-1)).toThrow(/advance/)
  })
})
