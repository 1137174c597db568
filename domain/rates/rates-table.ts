import { err, ok, type Result } from '../shared/result.ts'
import { isZeroRate, parseExchangeRate, unitRate, type ExchangeRate } from './exchange-rate.ts'

/** What the rates service says one unit of `base` is worth in each other asset code. */
export type RatesTable = {
  readonly base: string
  readonly rates: ReadonlyMap<string, ExchangeRate>
}

/** Builds a table from the service's `{CODE: number}`; any invalid number spoils the table. */
export function makeRatesTable(
  base: string,
  rates: Readonly<Record<string, number>>,
): Result<RatesTable, 'invalid_rate'> {
  const parsed = new Map<string, ExchangeRate>()
  for (const [code, value] of Object.entries(rates)) {
    const rate = parseExchangeRate(value)
    if (!rate.ok) return rate
    parsed.set(code, rate.value)
  }
  return ok({ base, rates: parsed })
}

/**
 * The rate from table.base to `code`. A zero rate counts as missing, as in Rafiki: forwarding
 * at rate 0 would take the sender's money and deliver nothing.
 */
export function rateTo(table: RatesTable, code: string): Result<ExchangeRate, 'missing_rate'> {
  if (code === table.base) return ok(unitRate)
  const rate = table.rates.get(code)
  return rate === undefined || isZeroRate(rate) ? err('missing_rate') : ok(rate)
}
