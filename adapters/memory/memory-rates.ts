import { ratesFromTables } from '../../application/rates/rates-from-tables.ts'
import type { Rates, RatesError } from '../../application/ports/rates.ts'
import { makeRatesTable, type RatesTable } from '../../domain/rates/rates-table.ts'
import { assert } from '../../domain/shared/assert.ts'
import { err, ok, type Result } from '../../domain/shared/result.ts'

/** Rates by base code, e.g. `{ USD: { EUR: 0.91 } }`. */
export type RatesByBase = Readonly<Record<string, Readonly<Record<string, number>>>>

export type MemoryRates = Rates & {
  /** Replaces the rates from base. */
  setRates(base: string, rates: Readonly<Record<string, number>>): void
  /** Every getRates fails with error from now on; undefined answers from the table again. */
  fail(error: RatesError | undefined): void
  /** The bases getRates was asked for, in order (same-code conversions ask nothing). */
  readonly requestedBases: readonly string[]
}

/** A fixed table for unit tests; a base it does not know has no rates (missing_rate). */
export function makeMemoryRates(initial: RatesByBase = {}): MemoryRates {
  const tables = new Map<string, RatesTable>()
  const requestedBases: string[] = []
  let failure: RatesError | undefined

  function setRates(base: string, rates: Readonly<Record<string, number>>): void {
    const table = makeRatesTable(base, rates)
    assert(table.ok, `memory rates: invalid rates for ${base}`)
    tables.set(base, table.value)
  }
  for (const [base, rates] of Object.entries(initial)) setRates(base, rates)

  async function getRates(base: string): Promise<Result<RatesTable, RatesError>> {
    requestedBases.push(base)
    if (failure !== undefined) return err(failure)
    return ok(tables.get(base) ?? { base, rates: new Map() })
  }

  return {
    ...ratesFromTables(getRates),
    setRates,
    fail(error) {
      failure = error
    },
    requestedBases,
  }
}
